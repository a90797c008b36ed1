"""``python -m bmdsim.cli``: the ``bmdsim`` command."""

from bmdsim.cli import main

main()
