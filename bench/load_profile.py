"""bench/load.py --profile: one worker under cProfile, every thread of it."""

from __future__ import annotations

import signal
import time


def serve_profiled(path: str, port: int) -> None:
    """Child process: one worker as ``spinewise serve`` runs it, every thread of it
    inside cProfile, timed by the thread's CPU clock (waiting costs nothing)."""
    import cProfile
    import pstats
    import threading

    import uvicorn

    from spinewise.web import app_from_environment

    profiles: list[cProfile.Profile] = []

    def profiled() -> cProfile.Profile:
        profile = cProfile.Profile(time.thread_time)
        profiles.append(profile)
        profile.enable()
        return profile

    def in_thread(*_: object) -> None:  # the first event of every new thread
        profiled()  # replaces this hook in that thread

    def stop(*_: object) -> None:  # uvicorn raises the signal again once it stopped
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    app = app_from_environment()  # start-up is not what is measured
    threading.setprofile(in_thread)
    main_thread = profiled()
    try:
        uvicorn.run(app, host="127.0.0.1", port=port,
                    log_level="info", server_header=False)  # fmt: skip
    finally:
        main_thread.disable()
        stats = pstats.Stats(profiles[0])
        for other in profiles[1:]:
            other.create_stats()
            stats.add(other)
        stats.dump_stats(path)
