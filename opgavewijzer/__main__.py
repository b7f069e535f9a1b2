"""``python -m opgavewijzer`` runs the command line."""

import sys

from opgavewijzer.cli import main

sys.exit(main())
