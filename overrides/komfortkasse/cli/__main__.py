"""``python -m komfortkasse.cli``: the same as the ``komfortkasse`` command."""

import sys

from komfortkasse.cli import main

if __name__ == "__main__":
    sys.exit(main())
