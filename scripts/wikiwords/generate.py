#!/usr/bin/env python3
"""Build wiki_words.json: the local words of each Wikipedia, taken from
MediaWiki's own files.

Where the input files come from (all saved under the folder given on the
command line, normally ./php; php/SOURCES.json records repository, path and
commit or tag of every file):

* mediawiki-1.43.9/  -- verbatim copies from MediaWiki 1.43.9 (upstream tag
  "1.43.9" of https://github.com/wikimedia/mediawiki), taken from the Debian
  package mediawiki 1:1.43.9+dfsg-1~deb13u1:
    languages/messages/MessagesXx.php         $namespaceNames, $namespaceAliases,
                                              $namespaceGenderAliases, $magicWords,
                                              $fallback
    languages/data/grammarTransformations/*.json   {{GRAMMAR:}} in NS_PROJECT_TALK
    includes/languages/data/Names.php         interlanguage prefixes
    includes/language/LanguageConverterFactory.php,
    includes/language/converters/*.php        language variants (zh, uz, tg)
* mediawiki-master/Names-master-extra.php -- the 16 codes master's Names.php
  has beyond 1.43.9 (hand copy, commit 84484cdf...).
* operations-mediawiki-config/ -- Wikimedia's production settings
  (wgExtraNamespaces, wgNamespaceAliases, wgMetaNamespace,
  wgMetaNamespaceTalk) from wmf-config/core-Namespaces.php, and the
  `langlist` of Wikipedia subdomains (hand copies, see their headers).
* mediawiki-extensions-Disambiguator/ -- __DISAMBIG__ and its translations
  (hand copy, see its header).

Merging follows MediaWiki 1.43's LocalisationCache / Language classes:
* fallback chain = the comma list in the language's own $fallback (not
  followed recursively), with 'en' appended;
* magic words: synonyms of the language first, then each fallback's, unique;
  the case flag is the one of the last language in the chain that has the
  word (so English's, as MediaWiki does);
* namespace names: the first language in the chain that names an id wins;
  names that fallback languages give to an id the wiki already names are NOT
  valid in MediaWiki (they are reported separately under
  "namespaces_fallback_only"); aliases of all languages in the chain are
  valid; gender aliases come from the first language that defines them;
  English canonical names always work; for languages with variants (zh, uz,
  tg) the namespace names of every variant are aliases too; the wiki's
  settings (extra namespaces, aliases, project namespace) come on top.

Usage:  python3 scripts/wikiwords/generate.py FOLDER -o src/diaspora_book/read/mediawiki/wiki_words.json
(FOLDER holds the saved files, laid out as SOURCES.json says; README.md says how to get them)
Python 3.11, standard library only.
"""
from __future__ import annotations

import argparse
import copy
import datetime as _dt
import json
import os
import re
import sys
from pathlib import Path

# ---------------------------------------------------------------------------
# What to produce
# ---------------------------------------------------------------------------

WIKIS = ["en", "de", "ru", "kk", "ky", "uz", "tg", "tt", "ba", "uk", "tr",
         "zh", "ja", "ko", "fa", "he", "ur", "ar", "ug", "fr", "es"]

# Magic word ids kept besides every id starting with "img_".
MAGIC_IDS = [
    "redirect", "notoc", "nogallery", "forcetoc", "toc", "noeditsection",
    "newsectionlink", "nonewsectionlink", "hiddencat", "index", "noindex",
    "staticredirect", "notitleconvert", "nocontentconvert",
    "expectunusedcategory", "expectunusedtemplate", "disambiguation",
    "defaultsort", "displaytitle", "subst", "safesubst",
]

# Namespace constants, from MediaWiki's includes/Defines.php
NS_CONSTANTS = {
    "NS_MEDIA": -2, "NS_SPECIAL": -1, "NS_MAIN": 0, "NS_TALK": 1,
    "NS_USER": 2, "NS_USER_TALK": 3, "NS_PROJECT": 4, "NS_PROJECT_TALK": 5,
    "NS_FILE": 6, "NS_FILE_TALK": 7, "NS_IMAGE": 6, "NS_IMAGE_TALK": 7,
    "NS_MEDIAWIKI": 8, "NS_MEDIAWIKI_TALK": 9, "NS_TEMPLATE": 10,
    "NS_TEMPLATE_TALK": 11, "NS_HELP": 12, "NS_HELP_TALK": 13,
    "NS_CATEGORY": 14, "NS_CATEGORY_TALK": 15,
}

# NamespaceInfo::CANONICAL_NAMES (MediaWiki core): valid on every wiki.
CANONICAL_NAMES = {
    -2: "Media", -1: "Special", 1: "Talk", 2: "User", 3: "User_talk",
    4: "Project", 5: "Project_talk", 6: "File", 7: "File_talk",
    8: "MediaWiki", 9: "MediaWiki_talk", 10: "Template",
    11: "Template_talk", 12: "Help", 13: "Help_talk", 14: "Category",
    15: "Category_talk",
}

# ---------------------------------------------------------------------------
# A small PHP reader: literals, arrays, constants, comments. Enough for
# MediaWiki's data files; anything else becomes an Unknown value.
# ---------------------------------------------------------------------------


class Unknown:
    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"Unknown({self.text!r})"


class Const:
    """A bare identifier such as NS_FILE, true, self::NAMES."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"Const({self.name})"


_TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<open><\?php\b|<\?)
  | (?P<close>\?>)
  | (?P<comment>\#[^\n]*|//[^\n]*|/\*.*?\*/)
  | (?P<sq>'(?:[^'\\]|\\.)*')
  | (?P<dq>"(?:[^"\\]|\\.)*")
  | (?P<heredoc><<<\s*(?P<q>['"]?)(?P<tag>[A-Za-z_][A-Za-z0-9_]*)(?P=q)\n.*?\n[ \t]*(?P=tag)\b)
  | (?P<num>0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?)
  | (?P<var>\$[A-Za-z_][A-Za-z0-9_]*)
  | (?P<ident>\\?[A-Za-z_][A-Za-z0-9_\\]*(?:::[A-Za-z_][A-Za-z0-9_]*)?)
  | (?P<op>=>|::|\.\.\.|[\[\](){};,=+\-.:?&|!<>@*/%^~])
""", re.X | re.S)


def tokenize(src: str) -> list[tuple[str, str]]:
    out = []
    pos = 0
    n = len(src)
    in_php = False  # text outside <?php ... ?> is ignored
    while pos < n:
        if not in_php:
            i = src.find("<?", pos)
            if i < 0:
                break
            pos = i
            in_php = True
            continue
        m = _TOKEN_RE.match(src, pos)
        if not m:
            raise SyntaxError(f"cannot read PHP near {src[pos:pos + 40]!r}")
        kind = m.lastgroup
        text = m.group(0)
        pos = m.end()
        if kind in ("q", "tag"):
            kind = "heredoc"
        if kind in ("ws", "comment", "open"):
            continue
        if kind == "close":
            in_php = False
            continue
        out.append((kind, text))
    return out


_DQ_ESC = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "e": "\x1b",
           "f": "\f", "\\": "\\", "$": "$", '"': '"', "0": "\0"}


def php_single(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\([\\'])", r"\1", body)


def php_double(text: str) -> str:
    body = text[1:-1]
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\" or i + 1 >= len(body):
            if c == "$" and i + 1 < len(body) and (body[i + 1].isalpha() or body[i + 1] in "_{"):
                raise ValueError(f"interpolated PHP string not supported: {text!r}")
            out.append(c)
            i += 1
            continue
        d = body[i + 1]
        if d == "u" and body[i + 2:i + 3] == "{":
            j = body.index("}", i)
            out.append(chr(int(body[i + 3:j], 16)))
            i = j + 1
        elif d == "x" and re.match(r"[0-9a-fA-F]", body[i + 2:i + 3] or " "):
            m = re.match(r"[0-9a-fA-F]{1,2}", body[i + 2:])
            out.append(chr(int(m.group(0), 16)))  # byte; see note below
            i += 2 + len(m.group(0))
        elif d in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(chr(int(m.group(0), 8)))
            i += 1 + len(m.group(0))
        elif d in _DQ_ESC:
            out.append(_DQ_ESC[d])
            i += 2
        else:  # unknown escape: PHP keeps the backslash
            out.append("\\" + d)
            i += 2
    s = "".join(out)
    # "\xc2\xa0" style byte escapes: re-decode runs of such bytes as UTF-8.
    if any(0x80 <= ord(ch) <= 0xFF for ch in s):
        try:
            s = s.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return s


class Parser:
    def __init__(self, tokens, constants):
        self.t = tokens
        self.i = 0
        self.constants = constants

    def peek(self, k=0):
        j = self.i + k
        return self.t[j] if j < len(self.t) else ("eof", "")

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def expect(self, text):
        kind, val = self.take()
        if val != text:
            raise SyntaxError(f"expected {text!r}, got {val!r}")

    # expression := term (('+' | '.') term)*   ('+' on arrays = union)
    def expr(self):
        left = self.term()
        while self.peek()[1] in ("+", "."):
            op = self.take()[1]
            right = self.term()
            if op == "+" and isinstance(left, dict) and isinstance(right, dict):
                merged = dict(left)
                for k, v in right.items():
                    merged.setdefault(k, v)
                left = merged
            elif op == "." and isinstance(left, str) and isinstance(right, str):
                left = left + right
            else:
                left = Unknown(f"{left!r} {op} {right!r}")
        return left

    def term(self):
        kind, val = self.take()
        if kind == "sq":
            return php_single(val)
        if kind == "dq":
            return php_double(val)
        if kind == "num":
            return int(val, 0) if "." not in val else float(val)
        if val == "-":
            v = self.term()
            return -v if isinstance(v, (int, float)) else Unknown(f"-{v!r}")
        if val == "[":
            return self.array("]")
        if kind == "ident" and val.lower() == "array" and self.peek()[1] == "(":
            self.take()
            return self.array(")")
        if val == "(":
            v = self.expr()
            self.expect(")")
            return v
        if kind == "ident":
            low = val.lower()
            if low == "true":
                return True
            if low == "false":
                return False
            if low == "null":
                return None
            if self.peek()[1] == "(":  # function call: skip it
                self.skip_balanced()
                return Unknown(val + "(...)")
            if val in self.constants:
                return self.constants[val]
            return Const(val)
        if kind == "heredoc":
            return Unknown("heredoc")
        if kind == "var":
            v = getattr(self, "vars", {}).get(val)
            return v if v is not None else Unknown(val)
        raise SyntaxError(f"unexpected token {val!r}")

    def skip_balanced(self):
        depth = 0
        while True:
            kind, val = self.take()
            if kind == "eof":
                return
            if val in "([{":
                depth += 1
            elif val in ")]}":
                depth -= 1
                if depth <= 0:
                    return

    def array(self, closer):
        items: dict = {}
        next_index = 0
        while True:
            if self.peek()[1] == closer:
                self.take()
                return items
            if self.peek()[1] == "...":  # spread: not used in data files
                self.take()
                self.expr()
            else:
                v = self.expr()
                if self.peek()[1] == "=>":
                    self.take()
                    key = v
                    v = self.expr()
                    if isinstance(key, bool):
                        key = int(key)
                    if isinstance(key, (Const, Unknown)):
                        key = getattr(key, "name", repr(key))
                    items[key] = v
                    if isinstance(key, int) and key >= next_index:
                        next_index = key + 1
                else:
                    items[next_index] = v
                    next_index += 1
            sep = self.take()[1]
            if sep == closer:
                return items
            if sep != ",":
                raise SyntaxError(f"expected ',' or {closer!r} in array, got {sep!r}")


def read_php(path: Path, constants=NS_CONSTANTS) -> dict:
    """Return the variables a PHP data file defines.

    Keys: "$name" for `$name = ...;`, "$name[key]" for `$name['key'] = ...;`,
    "return" for a top-level `return ...;`, "const NAME" for class constants,
    "static $name" for class properties with a literal value.
    """
    src = path.read_text(encoding="utf-8")
    p = Parser(tokenize(src), constants)
    out: dict = {}
    p.vars = out
    errors = []
    while p.peek()[0] != "eof":
        kind, val = p.peek()
        start = p.i
        try:
            if kind == "var" and p.peek(1)[1] in ("=", "["):
                name = p.take()[1]
                sub = []
                while p.peek()[1] == "[":
                    p.take()
                    sub.append(p.expr())
                    p.expect("]")
                if p.peek()[1] != "=":
                    p.skip_statement()
                    continue
                p.take()
                value = p.expr()
                key = name + "".join(f"[{s}]" for s in sub)
                if sub:
                    if not isinstance(out.get(name), dict):
                        out[name] = {}
                    tgt = out[name]
                    for s in sub[:-1]:
                        tgt = tgt.setdefault(s, {})
                    tgt[sub[-1]] = value
                out[key] = value
                p.end_statement()
            elif kind == "ident" and val == "return":
                p.take()
                out["return"] = p.expr()
                p.end_statement()
            elif kind == "ident" and val == "const" and p.peek(1)[0] == "ident" and p.peek(2)[1] == "=":
                p.take()
                name = p.take()[1]
                p.take()
                out["const " + name] = p.expr()
                p.end_statement()
            else:
                p.take()
        except (SyntaxError, ValueError) as e:
            # A statement this reader does not understand: note it, skip it.
            what = p.t[start][1] if start < len(p.t) else "?"
            errors.append(f"{path.name}: skipped statement at {what}: {e}")
            p.i = start
            p.skip_statement()
    if errors:
        out["!errors"] = errors
    return out


def _end_statement(self):
    if self.peek()[1] == ";":
        self.take()


def _skip_statement(self):
    while self.peek()[0] != "eof" and self.take()[1] != ";":
        pass


Parser.end_statement = _end_statement
Parser.skip_statement = _skip_statement

# ---------------------------------------------------------------------------
# MediaWiki localisation data
# ---------------------------------------------------------------------------


def messages_file(code: str) -> str:
    """MediaWiki's LanguageNameUtils::getMessagesFileName()."""
    return "Messages" + code.replace("-", "_")[:1].upper() + code.replace("-", "_")[1:] + ".php"


class Localisation:
    MAP_KEYS = ("namespaceNames", "namespaceAliases")

    def __init__(self, root: Path, problems: list[str]):
        self.dir = root / "languages" / "messages"
        self.grammar_dir = root / "languages" / "data" / "grammarTransformations"
        self.raw: dict[str, dict] = {}
        self.problems = problems
        self.files_read: list[str] = []

    def own(self, code: str) -> dict:
        """The data a language's own Messages file defines (no fallback)."""
        if code not in self.raw:
            path = self.dir / messages_file(code)
            data = {}
            if path.exists():
                v = read_php(path)
                self.files_read.append(str(path))
                for err in v.get("!errors", []):
                    if any(f"${k}" in err for k in ("fallback", "namespaceNames", "namespaceAliases",
                                                      "namespaceGenderAliases", "magicWords")):
                        raise SyntaxError(err)
                    self.problems.append(err)
                for key in ("fallback", "namespaceNames", "namespaceAliases",
                            "namespaceGenderAliases", "magicWords"):
                    if "$" + key in v:
                        data[key] = v["$" + key]
            else:
                self.problems.append(f"no {messages_file(code)} for '{code}' (treated as empty)")
            self.raw[code] = data
        return self.raw[code]

    def fallback_sequence(self, code: str) -> list[str]:
        fb = self.own(code).get("fallback")
        if code == "en" and (fb is None or fb is False):
            return []
        seq = [s.strip() for s in fb.split(",")] if isinstance(fb, str) else []
        seq = [s for s in seq if s]
        if not seq or seq[-1] != "en":
            seq.append("en")
        return seq

    def merged(self, code: str) -> dict:
        """LocalisationCache::recache() for the keys used here."""
        data = {k: _copy(v) for k, v in self.own(code).items()}
        for fb in self.fallback_sequence(code):
            fbd = self.own(fb)
            for key, fval in fbd.items():
                if key not in data or data[key] is None:
                    data[key] = _copy(fval)
                elif key in self.MAP_KEYS:
                    for k, v in fval.items():
                        data[key].setdefault(k, v)
                elif key == "magicWords":
                    merge_magic_words(data[key], fval)
                # other keys (fallback, namespaceGenderAliases): own wins
        return data

    def grammar(self, code: str, word: str, case: str) -> str:
        """Language::convertGrammar() with the JSON transformation rules."""
        path = self.grammar_dir / f"{code}.json"
        if not path.exists():
            return word
        rules = json.loads(path.read_text(encoding="utf-8"))
        forms = rules.get(case)
        if isinstance(forms, str):
            forms = rules.get(forms)
        for rule in forms or []:
            if not isinstance(rule, list) or rule[0] == "@metadata":
                continue
            pattern, repl = rule[0], rule[1]
            repl = re.sub(r"\$(\d+)", r"\\g<\1>", repl)
            if re.search(pattern, word):
                return re.sub(pattern, repl, word)
        return word


def _copy(v):
    return copy.deepcopy(v)


def split_magic(entry) -> tuple[object, list[str]]:
    """Split a $magicWords entry into (case flag, synonyms).

    MediaWiki expects [flag, syn, syn...]; some extension files omit the
    flag. Such entries are read leniently: flag None, all items synonyms.
    """
    items = [entry[k] for k in sorted(k for k in entry if isinstance(k, int))] if isinstance(entry, dict) else list(entry)
    if items and (items[0] in (0, 1, "0", "1") or isinstance(items[0], bool)):
        return int(items[0]), [str(s) for s in items[1:]]
    return None, [str(s) for s in items]


def merge_magic_words(value: dict, fallback: dict) -> None:
    """LocalisationCache::mergeMagicWords(), tolerant of a missing flag."""
    for name, fentry in fallback.items():
        if name not in value:
            value[name] = fentry
            continue
        own_flag, own_syn = split_magic(value[name])
        fb_flag, fb_syn = split_magic(fentry)
        flag = fb_flag if fb_flag is not None else own_flag
        syn = list(dict.fromkeys(own_syn + fb_syn))
        value[name] = ([flag] if flag is not None else []) + syn


# ---------------------------------------------------------------------------
# Wikimedia site configuration
# ---------------------------------------------------------------------------


class SiteConfig:
    def __init__(self, path: Path):
        data = read_php(path)["return"]
        self.aliases = data.get("wgNamespaceAliases", {})
        self.extra = data.get("wgExtraNamespaces", {})
        self.meta = data.get("wgMetaNamespace", {})
        self.meta_talk = data.get("wgMetaNamespaceTalk", {})

    @staticmethod
    def _get(setting: dict, dbname: str, family: str = "wikipedia"):
        """SiteConfiguration: 'dbname' replaces, '+dbname' merges with the family."""
        if dbname in setting:
            return setting[dbname]
        base = setting.get(family) or setting.get("+" + family)
        plus = setting.get("+" + dbname)
        if plus is not None:
            merged = dict(base or {})
            merged.update(plus)
            return merged
        if base is not None:
            return base
        return setting.get("default")

    def for_wiki(self, dbname: str) -> dict:
        return {
            "aliases": self._get(self.aliases, dbname) or {},
            "extra": self._get(self.extra, dbname) or {},
            "meta": self._get(self.meta, dbname),
            "meta_talk": self.meta_talk.get(dbname),
        }


# ---------------------------------------------------------------------------
# Language variants (LanguageConverter)
# ---------------------------------------------------------------------------


def read_variants(root: Path) -> dict[str, list[str]]:
    conv_dir = root / "includes" / "language" / "converters"
    factory = root / "includes" / "language" / "LanguageConverterFactory.php"
    out: dict[str, list[str]] = {}
    if not factory.exists():
        return out
    text = factory.read_text(encoding="utf-8")
    for code, cls in re.findall(r"'([a-z-]+)'\s*=>\s*\[\s*'class'\s*=>\s*(\w+)::class", text):
        f = conv_dir / f"{cls}.php"
        if not f.exists():
            continue
        m = re.search(r"function getLanguageVariants\(\)[^{]*\{\s*return\s*(\[.*?\]);", f.read_text(encoding="utf-8"), re.S)
        if m:
            p = Parser(tokenize("<?php " + m.group(1) + ";"), {})
            out[code] = [v for v in p.expr().values() if isinstance(v, str)]
    return out


# ---------------------------------------------------------------------------
# Building one wiki
# ---------------------------------------------------------------------------


def norm(name: str) -> str:
    return name.replace("_", " ").strip()


def key_of(name: str) -> str:
    return norm(name).lower()


class NsList:
    """Ordered, de-duplicated (case-insensitive, '_' == ' ') names per id."""

    def __init__(self):
        self.by_id: dict[int, list[str]] = {}
        self.seen: dict[str, int] = {}

    def add(self, ns: int, name, problems=None, where=""):
        if not isinstance(name, str) or not isinstance(ns, int) or ns == 0:
            return
        n = norm(name)
        if not n:
            return
        k = n.lower()
        if k in self.seen:
            if self.seen[k] != ns and problems is not None:
                problems.append(f"{where}: '{n}' is both ns {self.seen[k]} and ns {ns}; kept {self.seen[k]}")
            return
        self.seen[k] = ns
        self.by_id.setdefault(ns, []).append(n)


def ns_index(v, problems, where):
    if isinstance(v, int):
        return v
    if isinstance(v, str) and v in NS_CONSTANTS:   # e.g. MessagesKy: 'NS_PROJECT_TALK' in quotes
        problems.append(f"{where}: namespace id written as the string '{v}' (read as {NS_CONSTANTS[v]})")
        return NS_CONSTANTS[v]
    if isinstance(v, str) and re.fullmatch(r"-?\d+", v):
        return int(v)
    problems.append(f"{where}: unreadable namespace id {v!r}")
    return None


def language_namespace_names(loc: Localisation, code: str, site: dict) -> dict[int, str]:
    """Language::getNamespaces() for a language on a given wiki."""
    merged = loc.merged(code)
    names = {}
    for k, v in (merged.get("namespaceNames") or {}).items():
        if isinstance(k, int) and isinstance(v, str):
            names[k] = v
    for k, v in site["extra"].items():       # $wgExtraNamespaces + names
        if isinstance(k, int):
            names[k] = v
    meta = site["meta"] or "Wikipedia"
    names[4] = meta
    if site["meta_talk"]:
        names[5] = site["meta_talk"]
    elif 5 in names:
        names[5] = fix_variable(loc, code, names[5], meta)
    names.pop(0, None)
    return names


def fix_variable(loc: Localisation, code: str, talk: str, meta: str) -> str:
    """Language::fixVariableInNamespace()."""
    if "$1" not in talk:
        return talk
    talk = talk.replace("$1", meta)
    talk = re.sub(r"\{\{grammar:(.*?)\|(.*?)\}\}",
                  lambda m: loc.grammar(code, m.group(2).strip(), m.group(1).strip()),
                  talk, flags=re.I)
    return talk.replace(" ", "_")


def build_wiki(code: str, loc: Localisation, cfg: SiteConfig, variants: dict,
               disamb: dict, problems: list[str]) -> dict:
    dbname = code.replace("-", "_") + "wiki"
    site = cfg.for_wiki(dbname)
    merged = loc.merged(code)
    chain = loc.fallback_sequence(code)
    where = code

    ns = NsList()
    names = language_namespace_names(loc, code, site)
    # 1. the wiki's own names for each namespace
    for i in sorted(names):
        ns.add(i, names[i], problems, where)
    # 2. language aliases (whole fallback chain), NS_PROJECT_TALK ones with $1 filled in
    meta = site["meta"] or "Wikipedia"
    for alias, target in (merged.get("namespaceAliases") or {}).items():
        i = ns_index(target, problems, f"{where} $namespaceAliases '{alias}'")
        if i is None:
            continue
        if i == 5:
            alias = fix_variable(loc, code, alias, meta)
        ns.add(i, alias, problems, where)
    # 3. gender aliases (first language in the chain that defines them)
    genders = merged.get("namespaceGenderAliases") or {}
    for i, forms in genders.items():
        if isinstance(forms, dict):
            for form in forms.values():
                ns.add(i if isinstance(i, int) else ns_index(i, problems, where), form, problems, where)
    # 4. names in the other variants of the language
    for var in variants.get(code, []):
        if var == code:
            continue
        for i, n in sorted(language_namespace_names(loc, var, site).items()):
            ns.add(i, n, problems, f"{where} variant {var}")
    # 5. the wiki's $wgNamespaceAliases
    for alias, target in site["aliases"].items():
        i = ns_index(target, problems, f"{dbname} wgNamespaceAliases '{alias}'")
        if i is not None:
            ns.add(i, alias, problems, dbname)
    # 6. English canonical names (NamespaceInfo::CANONICAL_NAMES) and the
    #    canonical names of extra namespaces
    for i, n in CANONICAL_NAMES.items():
        ns.add(i, n, problems, where)

    # Names fallback languages give that MediaWiki does not accept here.
    fallback_only: dict[int, list[str]] = {}
    for fb in chain:
        for i, n in (loc.own(fb).get("namespaceNames") or {}).items():
            if not isinstance(i, int) or not isinstance(n, str) or i in (0, 4, 5):
                continue
            if key_of(n) not in ns.seen:
                lst = fallback_only.setdefault(i, [])
                if norm(n) not in lst:
                    lst.append(norm(n))

    # Magic words
    mw_all = merged.get("magicWords") or {}
    magic, case = {}, {}
    wanted = [k for k in mw_all if isinstance(k, str) and k.startswith("img_")] + MAGIC_IDS
    for mid in wanted:
        if mid in mw_all:
            flag, syn = split_magic(mw_all[mid])
            magic[mid] = syn
            case[mid] = bool(flag)
    # Extension magic words (Disambiguator), merged along the same chain
    ext: dict = {}
    for c in [code] + chain:
        words = disamb.get(c)
        if isinstance(words, dict):
            if not ext:
                ext = {k: v for k, v in words.items()}
            else:
                merge_magic_words(ext, words)
    for mid, entry in ext.items():
        flag, syn = split_magic(entry)
        magic[mid] = syn
        case[mid] = bool(flag) if flag is not None else False

    out = {
        "wiki": dbname,
        "fallback": chain,
        "namespaces": {str(i): v for i, v in sorted(ns.by_id.items())},
        "magic_words": dict(sorted(magic.items())),
        "case_sensitive": dict(sorted(case.items())),
        "project_namespace": norm(meta),
    }
    if variants.get(code):
        out["variants"] = variants[code]
    if fallback_only:
        out["namespaces_fallback_only"] = {str(i): v for i, v in sorted(fallback_only.items())}
    return out


# ---------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", help="folder with the saved PHP files (./php)")
    ap.add_argument("-o", "--output", default=None, help="output file (default: wiki_words.json next to this script)")
    args = ap.parse_args(argv)

    folder = Path(args.folder)
    mw = folder / "mediawiki-1.43.9"
    problems: list[str] = []
    loc = Localisation(mw, problems)
    cfg = SiteConfig(folder / "operations-mediawiki-config" / "wmf-config" / "core-Namespaces.php")
    variants = read_variants(mw)
    disamb_file = folder / "mediawiki-extensions-Disambiguator" / "Disambiguator.i18n.magic.php"
    disamb_raw = read_php(disamb_file).get("$magicWords", {}) if disamb_file.exists() else {}
    disamb = {lang: {k: v for k, v in words.items()} for lang, words in disamb_raw.items() if isinstance(words, dict)}

    languages = {code: build_wiki(code, loc, cfg, variants, disamb, problems) for code in WIKIS}

    prefixes = set()
    names_files = [mw / "includes" / "languages" / "data" / "Names.php",
                   folder / "mediawiki-master" / "Names-master-extra.php"]
    for nf in names_files:
        if nf.exists():
            v = read_php(nf)
            prefixes.update(k for k in v.get("const NAMES", {}) if isinstance(k, str))
    langlist_file = folder / "operations-mediawiki-config" / "langlist"
    langlist = [l.strip() for l in langlist_file.read_text(encoding="utf-8").splitlines() if l.strip()] if langlist_file.exists() else []

    sources_file = folder / "SOURCES.json"
    source = json.loads(sources_file.read_text(encoding="utf-8")) if sources_file.exists() else {}
    source["generated"] = _dt.date.today().isoformat()
    source["generator"] = "generate.py"
    source["notes"] = sorted(set(problems))

    doc = {
        "source": source,
        "interlanguage_prefixes": sorted(prefixes),
        "wikipedia_langlist": sorted(langlist),
        "languages": languages,
    }
    out_path = Path(args.output) if args.output else Path(__file__).with_name("wiki_words.json")
    out_path.write_text(compact_json(doc), encoding="utf-8")
    print(f"wrote {out_path}: {len(languages)} wikis, {len(prefixes)} interlanguage prefixes")
    for p in sorted(set(problems)):
        print("note:", p, file=sys.stderr)
    return 0


def compact_json(doc: dict) -> str:
    """Sorted keys; one top-level key per line, one wiki per line."""
    dump = lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    lines = ["{"]
    keys = sorted(doc)
    for n, k in enumerate(keys):
        comma = "," if n < len(keys) - 1 else ""
        if k == "languages":
            lines.append(f"{json.dumps(k)}:{{")
            langs = sorted(doc[k])
            for m, lang in enumerate(langs):
                c2 = "," if m < len(langs) - 1 else ""
                lines.append(f"{json.dumps(lang)}:{dump(doc[k][lang])}{c2}")
            lines.append("}" + comma)
        else:
            lines.append(f"{json.dumps(k)}:{dump(doc[k])}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
