"""`python -m hypelint` runs the command-line interface."""
import sys

from .cli import main

if __name__ == "__main__":  # worker processes (`--jobs`) may import this module: do not run twice
    sys.exit(main())
