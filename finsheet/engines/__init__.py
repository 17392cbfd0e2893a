"""Optional engines, off by default: remote services that read pages the local pipeline reads too poorly.

    http       what the clients share: one HTTP client, retries with Retry-After, errors, the response cache
    whisperer  the LLMWhisperer text-extraction API
    llm        an OpenAI-compatible chat model that repairs statements whose checks fail
    guard      the model's answer validated against the page: every figure must be printed there
    serve      a local OpenAI-compatible model server (xllamacpp) for offline use

Answers are cached in whatever `ResponseCache` the caller hands in (the store is one); engines never open the
database themselves, so extraction stays free of it.
"""

from finsheet.settings import Settings


def uses_engines(settings: Settings) -> bool:
    """Whether an extraction with these settings may call an engine (whose answers are worth caching)."""
    return settings.engine == "whisperer" or settings.llm_enabled
