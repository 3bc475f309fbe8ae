"""The language server (pygls). `nnterm-ls` / `python -m nnterm_ls` start it over stdio."""


def main(argv=None) -> int:
    from .server import main as server_main

    return server_main(argv)
