"""`python -m nnterm_ls`: start the language server over stdio (`--tcp HOST:PORT` for debugging)."""

import sys

from .lsp import main

sys.exit(main())
