"""``python -m valuechain`` runs the command line."""

from valuechain.cli import main

main(prog_name="valuechain")
