"""``python -m officekit`` runs the CLI (used by the double-click scripts)."""

from officekit.cli import main

main()
