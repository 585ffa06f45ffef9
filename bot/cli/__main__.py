"""``python -m bot.cli``: the ``briefbot`` command."""

from bot.cli import main

main()
