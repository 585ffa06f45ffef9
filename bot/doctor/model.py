"""The checks of the model server: it answers, knows the model, completes, embeds."""

from __future__ import annotations

import time
from collections.abc import Iterator

from bot.config import Settings
from bot.doctor.checks import Check, failed, ok, skipped
from bot.errors import BriefbotError


def llm(settings: Settings) -> Iterator[Check]:
    from bot.core.model_choice import (
        KEY_REFUSED,
        ModelListFailed,
        ModelResolver,
        choose_without_asking,
        shown_url,
    )

    keys = ("llm_server", "llm_model", "llm_completion")
    decided = choose_without_asking(settings)
    if decided is not None and decided.model is None:
        why = (
            "no OPENAI_API_KEY or OPENAI_BASE_URL: answers are extractive"
            if decided.reason == "no key"
            else f"{decided.reason}: answers are extractive"
        )
        for key in keys:
            yield skipped(key, why)
        return
    from bot.core.chat import LLMFailure, list_models, tiny_completion

    where = shown_url(settings.openai_base_url or "https://api.openai.com/v1")
    listed: list[str] | None
    try:
        listed = list_models(settings)
    except ModelListFailed as failure:
        if failure.reason == KEY_REFUSED:
            yield failed(
                "llm_server",
                f"{where} refused the key ({failure.detail}).",
                "check OPENAI_API_KEY.",
            )
            for key in keys[1:]:
                yield skipped(key, "the server refused the key")
            return
        if failure.reason != "no list":
            yield failed(
                "llm_server",
                f"{where} did not answer GET /models: {failure.reason} ({failure.detail}).",
                "check OPENAI_BASE_URL, and that the model server is running; or set "
                "BRIEFBOT_MODEL=none for extractive answers.",
            )
            for key in keys[1:]:
                yield skipped(key, "the server cannot be reached")
            return
        listed = None
        yield ok("llm_server", f"{where} answers (it does not list its models)")
    else:
        yield ok("llm_server", f"{where} answers and lists {len(listed)} models")

    def known(_settings: Settings) -> list[str]:
        if listed is None:
            raise ModelListFailed("no list", "not listed")
        return listed

    try:
        choice = ModelResolver(settings, known).choice()
    except BriefbotError as exc:
        yield failed("llm_model", exc.message, "set BRIEFBOT_MODEL to the model to use.")
        yield skipped("llm_completion", "no single model is named")
        return
    if choice.model is None:  # a server there for the embeddings alone
        yield skipped("llm_model", f"{choice.reason}: answers are extractive")
        yield skipped("llm_completion", f"{choice.reason}: answers are extractive")
        return
    model = choice.model
    if listed is None:
        yield skipped("llm_model", f"the server does not list its models (using {model})")
    elif model not in listed:
        named = ", ".join(sorted(listed)[:10]) + (" …" if len(listed) > 10 else "")
        yield failed(
            "llm_model",
            f"{model} ({choice.how}) is not among the models {where} lists: {named}.",
            "set BRIEFBOT_MODEL to one of them.",
        )
        yield skipped("llm_completion", "the model is not known to the server")
        return
    else:
        yield ok("llm_model", f"{model} ({choice.how})")
    started = time.monotonic()
    try:
        tiny_completion(settings, model)
    except LLMFailure as failure:
        yield failed(
            "llm_completion",
            f"{model} did not complete a five-token request within "
            f"{settings.llm_timeout:g} s: {failure.detail}.",
            "check that the server can run this model; a slow one needs a larger "
            "BRIEFBOT_LLM_TIMEOUT.",
        )
        return
    took = time.monotonic() - started
    yield ok(
        "llm_completion", f"{model} answered in {took:.2f} s (limit {settings.llm_timeout:g} s)"
    )


def embeddings(settings: Settings) -> Iterator[Check]:
    if not settings.embedding_model:
        yield skipped("embeddings", "BRIEFBOT_EMBEDDING_MODEL is not set (lexical search only)")
        return
    if not (settings.openai_api_key or settings.openai_base_url):
        yield failed(
            "embeddings",
            f"BRIEFBOT_EMBEDDING_MODEL={settings.embedding_model} has no server to ask.",
            "set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server.",
        )
        return
    from bot.core.chat import make_client
    from bot.core.embeddings import Embedder, EmbeddingError

    embedder = Embedder(make_client(settings), settings.embedding_model)
    started = time.monotonic()
    try:
        vectors = embedder.embed(["briefbot doctor"], deadline=started + settings.llm_timeout)
    except EmbeddingError as exc:
        yield failed(
            "embeddings",
            f"{settings.embedding_model}: {exc}.",
            "check BRIEFBOT_EMBEDDING_MODEL and that the server serves it; questions use "
            "lexical search alone meanwhile.",
        )
        return
    took = time.monotonic() - started
    yield ok(
        "embeddings",
        f"{settings.embedding_model}: {vectors.shape[1]} dimensions in {took:.2f} s",
    )
