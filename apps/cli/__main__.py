"""``python -m apps.cli``: the same as the ``longcat`` command."""

from apps.cli import main

main()
