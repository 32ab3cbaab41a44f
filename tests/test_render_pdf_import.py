"""WeasyPrint imported without a subprocess per library name (`layout._import_weasyprint`).

Each test imports WeasyPrint in a fresh Python, the only way to see an import
happen; the child prints what the test asserts on.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

_LIBRARIES = """
from weasyprint.text import ffi
loaded = sorted(
    {line.split()[-1] for line in open("/proc/self/maps")
     if any(n in line for n in ("libpango", "libgobject", "libharfbuzz", "libfontconfig"))}
)
"""


def _child(script: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_weasyprint_is_imported_without_a_subprocess_and_loads_the_same_libraries():
    plain = _child(
        "import json\nimport weasyprint\n" + _LIBRARIES + "print(json.dumps({'loaded': loaded}))"
    )
    quick = _child(
        """
import json, subprocess
started = []
popen = subprocess.Popen.__init__
def counting(self, args, *rest, **kwargs):
    started.append(args)
    popen(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = counting
from diaspora_book.render.pdf.layout import weasyprint_module
weasyprint = weasyprint_module()
import ctypes.util
"""
        + _LIBRARIES
        + """
print(json.dumps({
    'started': [str(a) for a in started], 'loaded': loaded,
    'restored': ctypes.util.find_library.__module__ == 'ctypes.util',
    'pango': ffi.pango.pango_version() > 0,
}))
"""
    )
    assert quick["started"] == []  # plain: `ldconfig`, `gcc` and `ld`, 50-odd times
    assert quick["loaded"] == plain["loaded"] and plain["loaded"]
    assert quick["pango"] and quick["restored"]


def test_a_library_its_linux_name_does_not_load_is_looked_up_as_weasyprint_would():
    # As if Pango were installed under another soname than WeasyPrint lists: the
    # first import fails, the second finds it by its lookups (ldconfig's answer).
    found = _child(
        """
        import ctypes.util, json
        import _cffi_backend
        from diaspora_book.render.pdf import layout

        load, refused = _cffi_backend.load_library, []
        def load_library(name, flags=0):
            if name == "libpango-1.0.so.0" and ctypes.util.find_library is layout._found_nowhere:
                refused.append(name)
                raise OSError("cannot open shared object file: " + name)
            return load(name, flags)
        _cffi_backend.load_library = load_library
        weasyprint = layout.weasyprint_module()
        from weasyprint.text import ffi
        print(json.dumps({'pango': ffi.pango.pango_version() > 0, 'refused': refused}))
        """
    )
    assert found["refused"] == ["libpango-1.0.so.0"]  # the first import failed
    assert found["pango"]


def test_a_caller_while_a_thread_imports_gets_the_whole_module_and_the_lookup_back():
    found = _child(
        """
import ctypes.util, json, threading
original = ctypes.util.find_library
from diaspora_book.render.pdf.layout import import_quietly, weasyprint_module
import sys, time
thread = threading.Thread(target=import_quietly)
thread.start()
while "weasyprint" not in sys.modules:  # the thread is at it
    time.sleep(0.001)
weasyprint = weasyprint_module()
whole = hasattr(weasyprint, "HTML") and hasattr(weasyprint, "CSS")
thread.join()
print(json.dumps({'whole': whole, 'restored': ctypes.util.find_library is original}))
"""
    )
    assert found == {"whole": True, "restored": True}
