"""``python typst_compile.py LIMIT``: Typst source on standard input, the
PDF on standard output, with the address space capped at LIMIT bytes (see :mod:`pdf_document`).

It imports nothing of Trellis, so the child process stays small and starts quickly.
"""

from __future__ import annotations

import resource
import sys
import tempfile


def main() -> int:
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    source = sys.stdin.buffer.read()
    import typst

    # An empty folder as the root: the document can read no file, not even by a relative path.
    with tempfile.TemporaryDirectory(prefix="trellis-typst-") as root:
        try:
            pdf = typst.Compiler(root=root).compile(input=source, format="pdf")
        except (typst.TypstError, MemoryError) as error:
            print(str(error).splitlines()[0] if str(error) else type(error).__name__, file=sys.stderr)
            return 1
    if not isinstance(pdf, bytes):  # a single-file format gives bytes; anything else is a bug
        print("the compiler returned no PDF", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
