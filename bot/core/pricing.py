"""What a model's answer cost, estimated from its token counts."""

from __future__ import annotations

from bot.config import Settings

#: USD per million tokens (prompt, completion) for well-known hosted models, as published
#: by OpenAI at the time of writing. An estimate only: set BRIEFBOT_PRICE_* to override.
#: Unknown models (local ones included) have no estimate unless prices are configured.
KNOWN_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5": (1.25, 10.00),
}


def estimated_cost(
    settings: Settings, model: str, prompt_tokens: int | None, completion_tokens: int | None
) -> float | None:
    """The estimated cost in USD: with the configured prices (``BRIEFBOT_PRICE_*``) when
    set, else :data:`KNOWN_PRICES`; None for an unknown model or unknown token counts."""
    if settings.price_prompt_per_mtok or settings.price_completion_per_mtok:
        prompt_price, completion_price = (
            settings.price_prompt_per_mtok,
            settings.price_completion_per_mtok,
        )
    elif model in KNOWN_PRICES:
        prompt_price, completion_price = KNOWN_PRICES[model]
    else:
        return None
    if prompt_price is None or prompt_tokens is None:
        return None
    cost = prompt_tokens * prompt_price + (completion_tokens or 0) * completion_price
    return round(cost / 1_000_000, 8)
