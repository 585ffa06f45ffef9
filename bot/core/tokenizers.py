"""The tokenizers briefbot ships, with the sha256 OpenAI publishes for each BPE file.

Kept apart from :mod:`bot.core.tokens` (which imports tiktoken and numpy) so that checking
``BRIEFBOT_TOKENIZER`` in the settings costs nothing: every command builds the settings,
few count tokens.
"""

from __future__ import annotations

#: sha256 of each decompressed BPE file, as published by OpenAI.
EXPECTED_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}
