"""The conversation log's retention setting (applied by `briefbot clock`: see test_clock.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.slack.deliveries import Deliveries
from conftest import make_settings
from storage import exchanges
from storage.models import SlackEventClaim

#: The briefing's clock in these tests: retention counts back from it.
NOW = datetime(2019, 4, 1, 9, tzinfo=UTC)


def _old_and_new(briefing: Briefing) -> None:
    now = briefing.clock()
    with briefing.db.session() as s:
        for days in (40, 10, 0):
            exchanges.record_exchange(
                session=s,
                exchange=exchanges.ExchangeRecord(
                    question=f"{days} days ago", created_at=now - timedelta(days=days)
                ),
            )
        s.add(SlackEventClaim(event_key="event:old", claimed_at=now - timedelta(days=3)))
        s.add(SlackEventClaim(event_key="event:new", claimed_at=now))


def test_retention_purges_old_exchanges_and_claims(database_url: str, tmp_path: Path) -> None:
    settings = make_settings(database_url, tmp_path, log_retention_days=30)
    with Briefing.open(settings, clock=lambda: NOW) as briefing:
        _old_and_new(briefing)
        assert briefing.log.apply_retention(briefing.settings.log_retention_days) == 1
        assert [r["question"] for r in briefing.log.export()] == ["10 days ago", "0 days ago"]
        assert Deliveries(briefing.db).claim("event:old") is True  # its claim expired
        assert Deliveries(briefing.db).claim("event:new") is False


def test_without_a_retention_setting_nothing_is_purged(settings: Settings) -> None:
    with Briefing.open(settings, clock=lambda: NOW) as briefing:
        _old_and_new(briefing)
        assert briefing.log.apply_retention(briefing.settings.log_retention_days) == 0
        assert len(briefing.log.export()) == 3
