"""A page's state in its link: parse and write URL query parameters, refusing malformed values.

Pure: no Streamlit. ``ui`` reads the link once per session through ``parse``, and writes the
current values back with ``serialize`` (a value equal to its default is left out, to keep links
short). Custom scenarios travel as one compact base64url JSON parameter.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from dataclasses import dataclass
from typing import Any

MAX_CUSTOM_SCENARIOS = 8
MAX_ENCODED_LENGTH = 20_000


@dataclass(frozen=True)
class Param:
    """How one URL parameter is read and written."""

    key: str
    kind: str  # str | int | float | bool | list | range | span (two numbers "lo~hi", whole when the default's are)
    default: Any
    choices: tuple | None = None
    lo: float | None = None
    hi: float | None = None
    max_items: int | None = None

    def parse(self, raw: list[str]) -> tuple[Any, bool]:
        """(value, True) for a valid raw value, (default, False) for a malformed or out-of-range one."""
        try:
            value = self._parse(raw)
        except (ValueError, TypeError, IndexError):
            return self.default, False
        return value, True

    def _parse(self, raw: list[str]) -> Any:
        if self.kind == "list":
            items = [self._scalar(r, self.choices) for r in raw if r != ""]
            if len(set(items)) != len(items) or (self.max_items and len(items) > self.max_items):
                raise ValueError("duplicate or too many items")
            return items
        if len(raw) != 1:
            raise ValueError("expected one value")
        text = raw[0]
        if self.kind == "span":
            lo_text, hi_text = text.split("~")
            cast = int if all(isinstance(v, int) for v in self.default) else float
            lo, hi = self._number(lo_text, cast), self._number(hi_text, cast)
            if lo > hi:
                raise ValueError("span ends before it starts")
            if self.choices is not None and not (lo in self.choices and hi in self.choices):
                raise ValueError("span ends off the grid")
            return (lo, hi)
        if self.kind == "range":
            lo_text, hi_text = text.split("-")
            lo, hi = self._number(lo_text, int), self._number(hi_text, int)
            if lo > hi:
                raise ValueError("range ends before it starts")
            return (lo, hi)
        if self.kind == "bool":
            if text not in ("0", "1"):
                raise ValueError("expected 0 or 1")
            return text == "1"
        return self._scalar(text, self.choices)

    def _scalar(self, text: str, choices):
        if self.kind in ("int", "list") and choices and all(isinstance(c, int) for c in choices):
            value = self._number(text, int)
        elif self.kind == "int":
            value = self._number(text, int)
        elif self.kind == "float":
            value = self._number(text, float)
        else:
            value = text
        if choices is not None and value not in choices:
            raise ValueError(f"{value!r} is not one of the choices")
        return value

    def _number(self, text: str, cast):
        value = cast(text)
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            raise ValueError("out of range")
        if cast is float and value != value:  # NaN
            raise ValueError("not a number")
        return value

    def accepts(self, value: Any) -> bool:
        """Whether a value (e.g. one left in the session from an earlier run) is still valid."""
        if value is None:
            return self.default is None
        try:
            forced = self._form(value)
        except (TypeError, ValueError, IndexError):  # a value of the wrong shape (one number where two belong)
            return False
        return self.parse(forced if isinstance(forced, list) else [forced])[1]

    def serialize(self, value: Any) -> str | list[str] | None:
        """The URL form of a value; None when it equals the default (the parameter is left out)."""
        if value == self.default or value is None:
            return None
        return self._form(value)

    def _form(self, value: Any) -> str | list[str]:
        if self.kind == "list":
            return [str(v) for v in value]
        if self.kind == "range":
            return f"{value[0]}-{value[1]}"
        if self.kind == "span":
            return "~".join(str(v) if isinstance(v, int) else repr(float(v)) for v in value)
        if self.kind == "bool":
            return "1" if value else "0"
        if self.kind == "float":
            return repr(float(value))
        return str(value)


def encode_scenarios(items: list[dict], defaults: dict) -> str:
    """Custom scenarios as one URL-safe string: only the fields that differ from the defaults."""
    slim = [{k: v for k, v in d.items() if defaults.get(k, object()) != v and k != "preset_id"} for d in items]
    raw = json.dumps(slim, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


def decode_scenarios(text: str, defaults: dict) -> list[dict]:
    """The inverse of encode_scenarios; raises ValueError on anything that is not a list of scenarios."""
    if len(text) > MAX_ENCODED_LENGTH:
        raise ValueError("custom scenario parameter too long")
    try:
        raw = zlib.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), bufsize=65536)
        data = json.loads(raw)
    except (binascii.Error, zlib.error, json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        # RecursionError: a few hundred characters of "[[[[..." decode to JSON nested past Python's limit
        raise ValueError(f"unreadable custom scenarios: {exc}") from exc
    if not isinstance(data, list) or len(data) > MAX_CUSTOM_SCENARIOS or not all(isinstance(d, dict) for d in data):
        raise ValueError("custom scenarios must be a short list of objects")
    out = []
    for d in data:
        if any(isinstance(v, (dict, list)) and k not in ("stops", "ceiling_path") for k, v in d.items()):
            raise ValueError("custom scenario values must be plain values")
        unknown = set(d) - set(defaults)
        if unknown:
            raise ValueError(f"unknown scenario fields {sorted(unknown)}")
        out.append({**defaults, **d})
    return out
