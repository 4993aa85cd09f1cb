"""Keeps secrets and what people write out of every log record, in every process we start.

``install`` cleans each record as it is created (a log record factory), so the rules
hold whichever handler a library adds, for Python's last-resort handler and for
warnings, which are routed through logging:

- the secrets given, anything shaped like a Telegram bot token, a ``token=`` value and
  a ``Bearer`` credential become ``[secret]``;
- an exception keeps its type and traceback frames, never its message (messages quote
  values: a token, a request body, a person's words);
- every word of the recent messages this process was handed (``remember``) becomes
  ``…`` in a record's values (in all of a record that arrives already formatted);
- another library's DEBUG record keeps its template with each value elided; one that
  arrives already formatted (an f-string) is withheld, only its source line kept.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import traceback
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

OWN_LOGGERS = ("bot", "actions", "connectors", "action_server", "rasa_server", "__main__")
SECRET = "[secret]"
ELIDED = "…"
REMEMBERED_WORDS = 20_000
LOG_FILE_BYTES = 5 * 1024 * 1024
LOG_FILE_BACKUPS = 3

_SECRET_SHAPES = re.compile(
    r"\d{5,}:[A-Za-z0-9_-]{30,}"  # a Telegram bot token, with or without "bot" before it
    r"|(?<=token=)[^&\s'\"]+"
    r"|(?<=Bearer )[^\s'\"]+",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w{2,}")
_PLACEHOLDER = re.compile(r"%(\([^)]*\))?[#0 +-]*(\*|\d+)?(\.(\*|\d+))?[diouxXeEfFgGcrsa%]")
_remembered: OrderedDict[str, None] = OrderedDict()
_lock = threading.Lock()


def remember(text: str) -> None:
    """Withhold every word of ``text`` from this process's later log records."""
    with _lock:
        for word in _WORD.findall(text):
            _remembered[word.casefold()] = None
            _remembered.move_to_end(word.casefold())
        while len(_remembered) > REMEMBERED_WORDS:
            _remembered.popitem(last=False)


def _without_remembered(message: str) -> str:
    if not _remembered:
        return message
    return _WORD.sub(
        lambda m: ELIDED if m.group().casefold() in _remembered else m.group(), message
    )


def exception_summary(error: BaseException) -> str:
    """Traceback frames and exception types, outermost first; no exception message."""
    parts: list[str] = []
    current: BaseException | None = error
    while current is not None and len(parts) < 10:
        frames = "".join(traceback.format_tb(current.__traceback__))
        kind = type(current)
        parts.append(
            f"Traceback (most recent call last):\n{frames}"
            f"{kind.__module__}.{kind.__qualname__} (message withheld)"
        )
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return "\nwhich came from:\n".join(parts)


class Redactor(logging.Filter):
    """Cleans a record in place (see the module docstring); never drops one."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def without_secrets(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, SECRET)
        return _SECRET_SHAPES.sub(SECRET, text)

    def redact(self, text: str) -> str:
        return _without_remembered(self.without_secrets(text))

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "redacted", False):
            return True
        record.redacted = True
        if record.levelno < logging.INFO and record.name.split(".")[0] not in OWN_LOGGERS:
            message = self._template_only(record)
        else:
            message = self._message(record)
        record.msg, record.args = message, ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = exception_summary(record.exc_info[1])
        record.exc_info = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True

    def _template_only(self, record: logging.LogRecord) -> str:
        if not record.args:
            return f"[withheld: {record.module}.py:{record.lineno}]"
        return self.without_secrets(
            _PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else ELIDED, str(record.msg))
        )

    def _message(self, record: logging.LogRecord) -> str:
        """The message, with remembered words redacted in its values only when it has
        a template (the template is code), in all of it when it came formatted."""
        template = str(record.msg)
        if not record.args:
            return self.redact(template)
        try:
            if isinstance(record.args, Mapping):
                message = template % {k: self._value(v) for k, v in record.args.items()}
            else:
                message = template % tuple(self._value(v) for v in record.args)
        except (TypeError, ValueError, KeyError):  # a bad template: say where, not what
            return f"[unformattable: {record.module}.py:{record.lineno}]"
        return self.without_secrets(message)

    def _value(self, value: object) -> object:
        return value if isinstance(value, (int, float)) else self.redact(str(value))


def install(secrets: Iterable[str | None]) -> Redactor:
    """Clean every record this process creates, warnings and uncaught exceptions included."""
    redactor = Redactor(secrets)
    make_record = logging.getLogRecordFactory()

    def cleaned_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if record.name is not None:  # None: logging.makeLogRecord fills it in afterwards
            redactor.filter(record)
        return record

    logging.setLogRecordFactory(cleaned_record)
    logging.captureWarnings(True)
    sys.excepthook = log_uncaught
    threading.excepthook = _log_uncaught_in_thread
    return redactor


def log_uncaught(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    logging.getLogger(__name__).critical(
        "stopped by an unexpected %s", kind.__name__, exc_info=(kind, error, trace)
    )


def _log_uncaught_in_thread(hook: threading.ExceptHookArgs) -> None:
    log_uncaught(hook.exc_type, hook.exc_value or hook.exc_type(), hook.exc_traceback)


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A size-rotated log file that only its owner can read, whatever the umask."""

    def __init__(self, path: Path, secrets: Iterable[str | None]) -> None:
        super().__init__(path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, delay=True)
        self.addFilter(Redactor(secrets))

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)  # a file an older version created with the umask's mode
        return open(fd, "a", encoding=self.encoding, errors=self.errors)
