"""The rooms page: staff look for a free room (date, hours, seats, features, building), see the
rooms that would do ranked by fit, or why none is free, and planners book one (once or weekly)
or cancel a booking of that day. It calls what `POST /api/rooms/free` and the booking API call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from pydantic import ValidationError
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from models.rooms import RoomRequest
from service.access import RANK
from service.bookings import BookingConflict, book, bookable_rooms, cancel, find_rooms, weekly_dates
from service.context import services
from service.pages import planner_only
from service.storage import schema
from service.storage.records import StorageError
from service.storage.schema import Role

room_pages = Blueprint("room_pages", __name__)


class RoomSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search reads only; its address can be kept and shared

    date = DateField("Date", validators=[InputRequired()])
    start = TimeField("From", validators=[InputRequired()])
    end = TimeField("To", validators=[InputRequired()])
    capacity = IntegerField("Seats", default=1, validators=[InputRequired(), NumberRange(min=1, max=100_000)])
    features = StringField("Features (comma-separated)", validators=[Length(max=2000)])
    building = SelectField("Building", default="")


class BookingForm(FlaskForm):
    room = StringField("Room", validators=[DataRequired(), Length(max=200)])
    date = DateField("Date", validators=[InputRequired()])
    start = TimeField("From", validators=[InputRequired()])
    end = TimeField("To", validators=[InputRequired()])
    purpose = StringField("Purpose", validators=[Length(max=2000)])
    weekly_until = DateField("Every week until (empty: once)", validators=[Optional()])


@room_pages.get("/rooms")
@login_required
def find() -> str:
    form = RoomSearchForm(request.args)
    with services().database.transaction() as session:
        rooms = bookable_rooms(session)
        form.building.choices = [SelectChoice("", "any"), *sorted({room.building for room in rooms})]
        offers: list[Any] = []
        reason: str | None = None
        day: list[tuple[Any, ...]] = []
        asked = _asked(form) if request.args else None
        if asked is not None:
            offers, reason = find_rooms(session, asked)
            day = _bookings_on(session, asked.date)
    features = sorted({feature for room in rooms for feature in room.features})
    return render_template(
        "rooms.html",
        form=form,
        booking=BookingForm(),
        asked=asked,
        offers=offers,
        reason=reason,
        day=day,
        features=features,
        may_book=RANK[current_user.role] >= RANK[Role.PLANNER],
    )


@room_pages.post("/rooms/book")
@login_required
def book_room() -> BaseResponse:
    planner_only()
    form = BookingForm()
    if not form.validate_on_submit():
        for field, messages in form.errors.items():
            flash(f"Not booked: {getattr(form, str(field)).label.text}: {'; '.join(map(str, messages))}")
        return redirect(_back())
    assert form.date.data and form.start.data and form.end.data
    try:
        dates = weekly_dates(form.date.data, form.weekly_until.data)
        made = book(
            services().database,
            form.room.data or "",
            dates,
            form.start.data,
            form.end.data,
            form.purpose.data or "",
            current_user.username,
        )
    except (BookingConflict, StorageError) as error:
        flash(f"Not booked: {error}")
    else:
        when = f"{form.start.data:%H:%M}-{form.end.data:%H:%M}"
        weeks = f", every week until {dates[-1]} ({len(made)} dates)" if len(made) > 1 else ""
        flash(f"Booked {form.room.data} on {dates[0]} {when}{weeks}.", "done")
    return redirect(_back())


@room_pages.post("/rooms/bookings/<int:booking_id>/cancel")
@login_required
def cancel_booking(booking_id: int) -> BaseResponse:
    planner_only()  # the CSRF token is checked for every page's form (CSRFProtect)
    with services().database.transaction() as session:
        try:
            gone = cancel(session, booking_id, request.form.get("series") == "all")
        except LookupError as error:
            flash(f"Not cancelled: {error}")
        else:
            flash(f"Cancelled {gone} booking{'s' * (gone != 1)}.", "done")
    return redirect(_back())


def _asked(form: RoomSearchForm) -> RoomRequest | None:
    """The request the form states, or None with the mistakes on the form's fields."""
    if not form.validate():
        return None
    try:
        return RoomRequest(
            date=form.date.data,
            start=form.start.data,
            end=form.end.data,
            capacity=form.capacity.data,
            features=tuple(f.strip() for f in (form.features.data or "").split(",") if f.strip()),
            building=form.building.data or None,
        )
    except ValidationError as error:  # a date rooms are not planned on; or it ends before it starts
        for item in error.errors():
            field = getattr(form, str(item["loc"][0])) if item["loc"] else form.end
            field.errors = [str(item["msg"]).removeprefix("Value error, ")]
        return None


def _bookings_on(session: Any, date: dt.date) -> list[tuple[Any, ...]]:
    start = dt.datetime.combine(date, dt.time())
    rows = session.scalars(
        select(schema.Booking)
        .where(schema.Booking.starts_at >= start, schema.Booking.starts_at < start + dt.timedelta(days=1))
        .order_by(schema.Booking.starts_at, schema.Booking.id)
    )
    return [(b.id, b.room.name, b.starts_at, b.ends_at, b.purpose, b.booked_by, b.series) for b in rows]


def _back() -> str:
    """The search the form was sent from, so the page shows the room just booked as taken."""
    search = request.form.get("search", "")
    return url_for("room_pages.find") + (f"?{search}" if search else "")
