"""The server-rendered pages: sign-in and sign-out, and the start page."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from service.access import SignedIn, check_password
from service.context import services
from service.storage import schema

pages = Blueprint("pages", __name__)


class LoginForm(FlaskForm):
    username = StringField("User name", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


@pages.route("/login", methods=["GET", "POST"])
def login() -> str | BaseResponse:
    form = LoginForm()
    if form.validate_on_submit():
        with services().database.transaction() as session:
            user = check_password(session, form.username.data or "", form.password.data or "")
            if user is not None:
                login_user(SignedIn(user.id, user.username, user.role))
                target = request.args.get("next", "")
                # only a path on this site, never another site's address
                return redirect(
                    target
                    if target.startswith("/") and not target.startswith("//")
                    else url_for("pages.home")
                )
        flash("Wrong user name or password.")
    return render_template("login.html", form=form)


@pages.post("/logout")
@login_required
def logout() -> BaseResponse:
    logout_user()
    return redirect(url_for("pages.login"))


@pages.get("/")
@login_required
def home() -> Response | str:
    with services().database.transaction() as session:
        counts = dict(
            session.execute(
                select(schema.Section.semester_id, func.count()).group_by(schema.Section.semester_id)
            ).all()
        )
        semesters = [
            (s.name, counts.get(s.id, 0))
            for s in session.scalars(select(schema.Semester).order_by(schema.Semester.id))
        ]
    return render_template("home.html", semesters=semesters)
