# `python -m fashion_reuse` runs the command-line tool.
from fashion_reuse.cli import main
raise SystemExit(main())
