"""What the Rhai kernel knows of the language: completion, inspection and complete cells.

Everything comes from the engine's own metadata: :func:`powerbalance.script.functions` lists
every function a script can call (name, signature, doc comment and, for a method, the type of
its receiver ``this``), :meth:`powerbalance.script.Engine.variables` the script's variables and
their Rhai types. Nothing here runs a script.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from ..script import Engine

__all__ = ["Language", "is_complete", "KEYWORDS"]

#: Rhai's keywords (https://rhai.rs/book/appendix/keywords.html) that a sandboxed script uses.
KEYWORDS: Tuple[str, ...] = (
    "let", "const", "fn", "if", "else", "switch", "for", "in", "while", "loop", "do", "until",
    "break", "continue", "return", "throw", "try", "catch", "true", "false", "this", "private",
)

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}


def _norm_type(name: Optional[str]) -> str:
    """A type name as scripts say it (``type_of``): ``&mut TableRef`` -> ``table``."""
    if not name:
        return ""
    t = name.replace("&mut ", "").replace("&", "").strip().split("::")[-1]
    if t.endswith("Ref"):
        t = t[: -len("Ref")]
    return t.lower()


def _first_param_type(f: Dict[str, Any]) -> str:
    params = f.get("params") or []
    return str(params[0][1]) if params else ""


def _scan(code: str) -> Tuple[List[Tuple[str, int]], Optional[str], bool]:
    """Brackets still open at the end of ``code`` (with their offsets), the string or comment
    still open (``"``, `````, ``/*``) and whether a closing bracket had no opening one. Strings,
    characters and comments are skipped."""
    stack: List[Tuple[str, int]] = []
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c == "/" and code.startswith("//", i):
            j = code.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c == "/" and code.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:  # Rhai's block comments nest
                if code.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif code.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            if depth:
                return stack, "/*", False
            continue
        if c in "\"`'":
            j = i + 1
            while j < n and code[j] != c:
                if code[j] == "\\" and c != "`":
                    j += 1
                elif code[j] == "\n" and c == '"' and code[j - 1] != "\\":
                    break  # a plain string ends at the line (Rhai: "unterminated string")
                j += 1
            if j >= n or code[j] != c:
                if c == "`" or j >= n:
                    return stack, c, False
            i = j + 1
            continue
        if c in _OPEN:
            stack.append((c, i))
        elif c in _CLOSE:
            if not stack or stack[-1][0] != _CLOSE[c]:
                return stack, None, True
            stack.pop()
        i += 1
    return stack, None, False


def is_complete(code: str) -> Dict[str, str]:
    """Jupyter's ``is_complete`` for a Rhai cell: ``incomplete`` while a bracket, a string or a
    block comment is open (with the indent of the next line), ``invalid`` for a closing
    bracket without its opening one, else ``complete``.

    Examples
    --------
    >>> is_complete("let x = 1;")
    {'status': 'complete'}
    >>> is_complete("for y in 2016..2021 {\\n    print(y);")
    {'status': 'incomplete', 'indent': '    '}
    >>> is_complete("let s = `a text\\nover lines")
    {'status': 'incomplete', 'indent': ''}
    >>> is_complete("x)")
    {'status': 'invalid'}
    """
    stack, open_text, bad = _scan(code)
    if bad:
        return {"status": "invalid"}
    if open_text is not None:
        return {"status": "incomplete", "indent": ""}
    if stack:
        return {"status": "incomplete", "indent": "    " * len(stack)}
    return {"status": "complete"}


class Language:
    """Completion and inspection for one engine (its variables change as cells run)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._functions: Optional[List[Dict[str, Any]]] = None

    @property
    def functions(self) -> List[Dict[str, Any]]:
        """The engine's function listing with Rhai's standard library
        (:func:`powerbalance.script.functions`), read once, operators left out, with the
        notebook's ``chart`` (:mod:`powerbalance.charts`) added."""
        if self._functions is None:
            from .. import script
            from ..charts import RHAI_CHART_DOC

            listing = [dict(f) for f in script.functions(standard=True) if _WORD.fullmatch(str(f["name"]))]
            self._functions = listing + [dict(RHAI_CHART_DOC)]
        return self._functions

    def _variables(self) -> Dict[str, str]:
        return self.engine.variables()

    def _methods(self, type_name: str) -> List[Dict[str, Any]]:
        """The functions callable as ``x.f()`` on a value of ``type_name``: the package's
        methods of that type, or the standard functions whose first parameter has that type
        (``push`` on an ``array``); every method of the package when the type is unknown."""
        want = _norm_type(type_name)
        if want:
            on = [f for f in self.functions if _norm_type(f.get("this") or _first_param_type(f)) == want]
            if on:
                return on
        return [f for f in self.functions if f.get("this")]

    def _receiver_type(self, before: str) -> str:
        """The Rhai type of the expression before a ``.``: a variable, or a method call whose
        listing gives its return type ("" when unknown)."""
        m = re.search(r"([A-Za-z_][A-Za-z0-9_]*)\s*$", before)
        if m:
            return self._variables().get(m.group(1), "")
        # `x.f(...)`: the return type of f
        stack, _, _ = _scan(before)
        if before.rstrip().endswith(")") and not stack:
            depth, i = 0, len(before.rstrip()) - 1
            while i >= 0:
                depth += {")": 1, "(": -1}.get(before[i], 0)
                if depth == 0:
                    break
                i -= 1
            m = re.search(r"([A-Za-z_][A-Za-z0-9_]*)\s*$", before[:i])
            if m:
                for f in self.functions:
                    if f["name"] == m.group(1) and f.get("returns"):
                        return str(f["returns"])
        return ""

    def complete(self, code: str, cursor_pos: int) -> Dict[str, Any]:
        """The reply content of ``complete_request``: matches, the span they replace, and
        JupyterLab's types and signatures (``_jupyter_types_experimental``)."""
        start = cursor_pos
        while start > 0 and (code[start - 1].isalnum() or code[start - 1] == "_"):
            start -= 1
        prefix = code[start:cursor_pos]
        before = code[:start].rstrip()
        items: List[Tuple[str, str, str]] = []  # (text, type, signature)
        if before.endswith(".") and not before.endswith(".."):
            for f in self._methods(self._receiver_type(before[:-1])):
                kind = "property" if f.get("property") else "method"
                items.append((str(f["name"]), kind, str(f.get("signature", ""))))
        else:
            for name, t in sorted(self._variables().items()):
                items.append((name, "variable", t))
            for f in self.functions:
                if not f.get("property"):
                    items.append((str(f["name"]), "function", str(f.get("signature", ""))))
            items += [(k, "keyword", "") for k in KEYWORDS]
            if not prefix:
                items = []  # nothing typed: no list of every name
        seen: Dict[str, Tuple[str, str]] = {}
        for text, kind, sig in items:
            if text.startswith(prefix) and text not in seen:
                seen[text] = (kind, sig)
        matches = sorted(seen, key=lambda s: (s.startswith("_"), s.lower()))
        types = [
            {"start": start, "end": cursor_pos, "text": m, "type": seen[m][0], "signature": seen[m][1]} for m in matches
        ]
        return {
            "matches": matches,
            "cursor_start": start,
            "cursor_end": cursor_pos,
            "metadata": {"_jupyter_types_experimental": types},
        }

    def _word_at(self, code: str, pos: int) -> Tuple[str, int]:
        """The identifier at or just before ``pos`` and where it starts."""
        for m in _WORD.finditer(code):
            if m.start() <= pos <= m.end():
                return m.group(0), m.start()
        return "", pos

    def _call_at(self, code: str, pos: int) -> Optional[Tuple[str, int]]:
        """The function whose argument list ``pos`` is in: its name and where it starts."""
        stack, _, _ = _scan(code[:pos])
        for bracket, at in reversed(stack):
            if bracket == "(":
                m = re.search(r"([A-Za-z_][A-Za-z0-9_]*)\s*$", code[:at])
                if m:
                    return m.group(1), m.start(1)
        return None

    def describe(self, name: str, receiver: str = "") -> Optional[str]:
        """The help text of a function (every signature, the doc comment) or a variable."""
        fns = [f for f in self.functions if f["name"] == name]
        if receiver:
            on = [f for f in fns if _norm_type(f.get("this")) == _norm_type(receiver)]
            fns = on or fns
        if fns:
            sigs = list(dict.fromkeys(str(f.get("signature") or name) for f in fns))
            docs = [str(f.get("doc") or "").strip() for f in fns]
            doc = next((d for d in docs if d), "")
            return "\n".join(sigs) + ("\n\n" + doc if doc else "")
        variables = self._variables()
        if name in variables:
            t = variables[name]
            methods = sorted({str(f["name"]) for f in self._methods(t) if f.get("this")})
            text = f"{name}: {t}"
            if methods and _norm_type(t) and any(_norm_type(f.get("this")) == _norm_type(t) for f in self.functions):
                text += f"\n\nmethods: {', '.join(methods)}"
            return text
        if name in KEYWORDS:
            return f"{name}: a Rhai keyword (https://rhai.rs/book/appendix/keywords.html)"
        return None

    def inspect(self, code: str, cursor_pos: int) -> Optional[str]:
        """Shift-Tab: the help of the name at the cursor, else of the call the cursor is in."""
        candidates: List[Tuple[str, int]] = []
        word, at = self._word_at(code, cursor_pos)
        if word:
            candidates.append((word, at))
        call = self._call_at(code, cursor_pos)
        if call:
            candidates.append(call)
        for name, start in candidates:
            receiver = ""
            before = code[:start].rstrip()
            if before.endswith(".") and not before.endswith(".."):
                receiver = self._receiver_type(before[:-1])
            text = self.describe(name, receiver)
            if text is not None:
                return text
        return None

