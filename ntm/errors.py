"""The errors a user can meet, each naming its catalogue message (`key`) and the values that fill it, so
every layer raises the same types and the caller says them in the reader's language (`message(lang)`)."""

from __future__ import annotations

from ntm.text import fill_params, t


class NtmError(Exception):
    """An error with a catalogue message: `key` names it, `params` fill it."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params

    def message(self, lang: str = "vi") -> str:
        """The message in `lang` (parameters filled by `ntm.text.fill_params`)."""
        return t(self.key, lang, **fill_params(self.params, lang))


class StoreUnavailable(NtmError):
    """The store cannot be reached: a local store that does not exist (opened for reading), or a shared
    store's database server that does not answer. `store` is its label (never a password)."""

    def __init__(self, store: str, reason: str = ""):
        super().__init__("store.unavailable_missing" if reason == "missing" else "store.unavailable", store=store)
        self.reason = reason


class StoreNotEmpty(NtmError):
    """A copy was asked into a store that already holds tables (never merged into or overwritten)."""

    def __init__(self, store: str):
        super().__init__("store.not_empty", store=store)


class EarlierFileUnreadable(NtmError):
    """The database file of an earlier release could not be read to bring it into the store (nothing was
    written; the file is untouched)."""

    def __init__(self, path: str, reason: str = ""):
        super().__init__("store.earlier_engine_missing" if reason == "missing_engine" else "store.earlier_unreadable",
                         path=path, reason=reason)


class NotADashboardDatabase(NtmError):
    """A file exists at the database path but was not built by `init` (never overwritten without --force)."""

    def __init__(self, path: str):
        super().__init__("db.foreign", path=path)
        self.path = path

    def __str__(self) -> str:
        return self.path


class DatabaseTooNew(NtmError):
    """The database was made by a newer release (it has schema steps this release does not know)."""

    def __init__(self, version: int, known: int):
        super().__init__("db.too_new", version=version, known=known)


class ExportUnavailable(NtmError):
    """Images and packs cannot be drawn: no Chromium on this machine, or it did not answer in time."""


class ReadError(NtmError):
    """A file that cannot be read at all."""


class BoundaryError(NtmError):
    """A boundary file that cannot be used."""


class AccountError(NtmError, ValueError):
    """An account that cannot be created (bad name, short password)."""


class NotPermitted(NtmError, PermissionError):
    """An action the account's role or provinces do not allow (nothing was written); the message says
    whose data it is and who may change it."""


class Throttled(Exception):
    """Too many failed sign-ins: wait `seconds` before trying again."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


class ImportRefused(NtmError):
    """An import that was not carried out; `report` says why."""

    def __init__(self, key: str, report, **params):
        super().__init__(key, **params)
        self.report = report


class RollbackBlocked(NtmError):
    """A later batch replaced rows of this one: roll that one back first."""

    def __init__(self, batch_id: int):
        super().__init__("reference.rollback_blocked", batch=batch_id)
        self.batch_id = batch_id


class UnknownBatch(NtmError, KeyError):
    """No import batch has this id."""

    def __init__(self, batch_id: int):
        super().__init__("batch.unknown", batch=batch_id)
        self.batch_id = batch_id


class UsersFileUnreadable(NtmError):
    """The users file of an earlier release could not be read to bring its accounts into the store."""

    def __init__(self, file: str):
        super().__init__("cli.accounts_unreadable", file=file)


class StoreChanged(NtmError):
    """A rebuild found the store changed after it copied it aside (another writer of a shared store):
    nothing was rebuilt."""

    def __init__(self, store: str):
        super().__init__("store.changed_during_rebuild", store=store)


class ServeFailed(NtmError):
    """Serving replicas behind nginx could not start (nginx missing or refusing, a replica not answering);
    `key` says which, with the log to read."""
