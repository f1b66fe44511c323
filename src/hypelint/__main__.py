"""`python -m hypelint` runs the command-line interface."""
from .cli import run

if __name__ == "__main__":  # worker processes (`--jobs`) may import this module: do not run twice
    run()
