"""The command line: argparse, no Qt, heavy modules imported inside commands."""
