"""A Server-Sent Events parser (the WHATWG event stream format)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# The format's line endings, and only those: str.splitlines (and httpx's line reader) would also
# split on U+2028 and other characters that JSON text carries unescaped.
_LINE_END = re.compile(r"\r\n|\r|\n")


class LineSplitter:
    """Bytes in, complete lines out (UTF-8, without their CR, LF or CRLF)."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._rest = ""

    def feed(self, chunk: bytes) -> list[str]:
        text = self._rest + self._decoder.decode(chunk)
        lines: list[str] = []
        start = 0
        for match in _LINE_END.finditer(text):
            if match.group() == "\r" and match.end() == len(text):
                break  # a CR at the end may be the first half of a CRLF: wait for the next chunk
            lines.append(text[start : match.start()])
            start = match.end()
        self._rest = text[start:]
        return lines


@dataclass(frozen=True)
class Frame:
    """One dispatched frame. ``id`` is the stream's last event id once this frame is dispatched."""

    event: str
    data: str
    id: str | None


class FrameParser:
    """Turns lines (without their line ending) into frames.

    As in the standard, a frame is dispatched at its blank line, and the last event id changes only
    then: a connection that drops in the middle of a frame resumes before that frame, not after it.
    A frame with an ``id`` but no ``data`` moves the last event id without yielding an event.
    """

    def __init__(self) -> None:
        self.last_event_id: str | None = None
        #: The last ``retry:`` hint, in ms.
        self.retry_ms: int | None = None
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None
        self._first_line = True

    def feed(self, line: str) -> Frame | None:
        """Reads one line; answers the frame its blank line completes, if any."""
        if self._first_line:
            self._first_line = False
            line = line.removeprefix("\ufeff")
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment: heartbeats
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id":
            if "\0" not in value:
                self._id = value
        elif name == "retry":
            if value.isascii() and value.isdigit():
                self.retry_ms = int(value)
        return None

    def reset(self) -> None:
        """Forgets a partly read frame (the connection dropped); the last event id stays."""
        self._event = ""
        self._data = []
        self._id = None
        self._first_line = True

    def _dispatch(self) -> Frame | None:
        if self._id is not None:
            self.last_event_id = self._id
        data, event = self._data, self._event
        self._event, self._data, self._id = "", [], None
        if not data:
            return None
        return Frame(event=event or "message", data="\n".join(data), id=self.last_event_id)
