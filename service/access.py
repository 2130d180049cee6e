"""Who may do what: users with a role, passwords and API tokens kept only as hashes, sign-in for
the pages (Flask-Login, forms under CSRF protection) and bearer tokens for the API.

Roles: an admin does everything; a planner keeps the records, scenarios and runs and publishes;
a viewer (and anyone not signed in) sees published timetables of teachers, rooms and cohorts,
never a student's. An API call made with the pages' session cookie rather than a token must
carry the page's CSRF token in `X-CSRFToken` when it changes anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, current_app, g, request
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect, validate_csrf
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.exceptions import Forbidden, Unauthorized
from werkzeug.security import check_password_hash, generate_password_hash

from datasets.errors import control_character
from service.context import services
from service.storage import schema
from service.storage.schema import Role

RANK = {Role.VIEWER: 1, Role.PLANNER: 2, Role.ADMIN: 3}
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
API_BLUEPRINTS = "registrar.api_blueprints"  # app.extensions key: the names of the API's blueprints
View = TypeVar("View", bound=Callable[..., Any])


class SignedIn(UserMixin):
    """The signed-in user as Flask-Login keeps it between requests."""

    def __init__(self, user_id: int, username: str, role: str) -> None:
        self.id, self.username, self.role = user_id, username, role

    def get_id(self) -> str:
        return str(self.id)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(session: Session, username: str, password: str, role: str) -> schema.User:
    if role not in Role.ALL:
        raise ValueError(f"no role {role!r}: the roles are {', '.join(Role.ALL)}")
    if len(password) < 8:
        raise ValueError("a password needs at least 8 characters")
    if not username.strip() or control_character(username) is not None:
        raise ValueError(f"a user name is not blank and holds no control character, not {username!r}")
    if session.scalar(select(schema.User).where(schema.User.username == username)):
        raise ValueError(f"user {username!r} exists already")
    user = schema.User(
        username=username,
        password_hash=generate_password_hash(password),
        role=role,
        created_at=dt.datetime.now(dt.UTC),
    )
    session.add(user)
    session.flush()
    return user


def new_token(user: schema.User) -> str:
    """A fresh API token for the user (replacing any earlier one); only its digest is kept."""
    token = secrets.token_urlsafe(32)
    user.token_hash = token_digest(token)
    return token


def check_password(session: Session, username: str, password: str) -> schema.User | None:
    user = session.scalar(select(schema.User).where(schema.User.username == username))
    if user is None or not check_password_hash(user.password_hash, password):
        return None
    return user


def install(app: Flask, csrf: CSRFProtect, api: Iterable[Blueprint]) -> None:
    """Sign-in for the pages, whose forms CSRFProtect checks; the API's blueprints are left to
    `caller`, which lets a token through and checks the CSRF header of a call made with the cookie."""
    for blueprint in api:
        csrf.exempt(blueprint)
    app.extensions[API_BLUEPRINTS] = frozenset(blueprint.name for blueprint in api)
    manager = LoginManager(app)
    manager.login_view = "pages.login"

    @manager.user_loader
    def load(user_id: str) -> SignedIn | None:
        if not user_id.isdigit():
            return None
        with services().database.transaction() as session:
            user = session.get(schema.User, int(user_id))
            return SignedIn(user.id, user.username, user.role) if user else None


def caller() -> SignedIn | None:
    """Who is calling: the bearer token's user, else the signed-in user, else nobody."""
    if "caller" in g:
        return cast(SignedIn | None, g.caller)
    who: SignedIn | None = None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("the Authorization header must be 'Bearer TOKEN'")
        with services().database.transaction() as session:
            user = session.scalar(
                select(schema.User).where(schema.User.token_hash == token_digest(token.strip()))
            )
            if user is None:
                raise Unauthorized("unknown or revoked API token")
            who = SignedIn(user.id, user.username, user.role)
    elif current_user.is_authenticated:
        who = cast(SignedIn, current_user._get_current_object())  # noqa: SLF001 - Flask-Login's proxy
        if request.method in UNSAFE and request.blueprint in current_app.extensions[API_BLUEPRINTS]:
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except CSRFError as error:
                raise Forbidden(f"a call from the pages needs the CSRF token: {error.description}") from None
            except Exception as error:  # noqa: BLE001 - flask-wtf raises ValidationError too
                raise Forbidden(f"a call from the pages needs the CSRF token: {error}") from None
    g.caller = who
    return who


def allowed(role: str) -> bool:
    who = caller()
    return who is not None and RANK[who.role] >= RANK[role]


def requires(role: str) -> Callable[[View], View]:
    """A view for `role` or above: 401 for nobody, 403 for a lower role."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            who = caller()
            if who is None:
                raise Unauthorized("sign in or send 'Authorization: Bearer TOKEN'")
            if RANK[who.role] < RANK[role]:
                raise Forbidden(f"{who.username} is a {who.role}; this needs a {role}")
            return view(*args, **kwargs)

        return cast(View, guarded)

    return decorate
