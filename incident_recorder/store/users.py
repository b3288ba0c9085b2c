"""Sign-in accounts. Passphrases are not here: they live (as key wraps) in the keyring."""

from __future__ import annotations

from incident_recorder.domain.errors import InvalidInput, NotFound
from incident_recorder.domain.model import Role, User
from incident_recorder.store.connection import Connection, IntegrityError, Row

_COLUMNS = "id, username, full_name, roles, staff_id, active"


def roles_text(roles: frozenset[Role]) -> str:
    return ",".join(sorted(role.value for role in roles))


def roles_from_text(text: str) -> frozenset[Role]:
    return frozenset(Role(value) for value in text.split(",") if value)


def _user(row: Row) -> User:
    return User(
        id=int(row["id"]),
        username=row["username"],
        full_name=row["full_name"],
        roles=roles_from_text(row["roles"]),
        staff_id=None if row["staff_id"] is None else int(row["staff_id"]),
        active=bool(row["active"]),
    )


class SqlUserRepository:
    def __init__(self, db: Connection) -> None:
        self._db = db

    def add(
        self, username: str, full_name: str, roles: frozenset[Role], staff_id: int | None
    ) -> User:
        name = username.strip().lower()
        if not name:
            raise InvalidInput("Please enter a username.")
        try:
            with self._db.transaction():
                user_id = self._db.insert(
                    "INSERT INTO users (username, full_name, roles, staff_id) VALUES (?, ?, ?, ?)",
                    (name, full_name, roles_text(roles), staff_id),
                )
        except IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise InvalidInput(f"There is already an account called '{name}'.") from None
            if "FOREIGN KEY" in str(exc):
                raise NotFound(f"There is no member of staff with id {staff_id}.") from None
            raise
        return User(id=user_id, username=name, full_name=full_name, roles=roles, staff_id=staff_id)

    def get(self, user_id: int) -> User:
        row = self._db.one(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (user_id,))
        if row is None:
            raise NotFound(f"There is no account with id {user_id}.")
        return _user(row)

    def by_username(self, username: str) -> User | None:
        row = self._db.one(
            f"SELECT {_COLUMNS} FROM users WHERE username = ?", (username.strip().lower(),)
        )
        return None if row is None else _user(row)

    def list(self) -> list[User]:
        rows = self._db.all(f"SELECT {_COLUMNS} FROM users ORDER BY full_name COLLATE NOCASE, id")
        return [_user(row) for row in rows]

    def set_active(self, user_id: int, active: bool) -> User:
        with self._db.transaction():
            self._db.execute(
                "UPDATE users SET active = ? WHERE id = ?", (1 if active else 0, user_id)
            )
        return self.get(user_id)
