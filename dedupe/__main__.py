"""`python -m dedupe` and the `dedupe` command: a check that ran before on the same files
is replayed from the cache (replay.py) before the command line is even imported; any
other command goes to cli.py."""

import sys


def main() -> None:
    from dedupe import replay

    argv = sys.argv[1:]
    try:
        status = replay.attempt(argv)
    except KeyboardInterrupt:
        sys.stderr.write("dedupe: interrupted\n")
        sys.exit(130)  # as cli.Exit.INTERRUPTED
    except Exception:  # noqa: BLE001  # a replay that fails is a run that was not replayed
        status = None
    if status is not None:
        sys.exit(status)
    replay.ARGV = argv
    from dedupe.cli import main as run

    run()


if __name__ == "__main__":
    main()
