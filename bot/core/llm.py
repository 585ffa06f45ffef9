"""The OpenAI-compatible client and the optional services built on it."""

from __future__ import annotations

import openai

from bot.config import Settings
from bot.core.embeddings import Embedder
from bot.core.summariser import Summariser


def make_client(settings: Settings, *, max_retries: int = 0) -> openai.OpenAI:
    """A client for ``OPENAI_BASE_URL`` (OpenAI itself when unset).

    Local servers (Ollama, vLLM, llama.cpp) ignore the key, so a placeholder stands in when
    none is configured.
    """
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    return openai.OpenAI(
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout,
        max_retries=max_retries,
    )


def build_embedder(settings: Settings) -> Embedder | None:
    if not settings.embedding_model:
        return None
    return Embedder(make_client(settings, max_retries=1), settings.embedding_model)


def build_summariser(settings: Settings) -> Summariser | None:
    """The LLM summariser, when a model is configured (issue: LLM summariser)."""
    return None
