"""The server-rendered pages: what a user sees, and what the UI tests drive."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import ValidationError

from .accounts import credentials_match
from .catalog import Category, ProductFilter, filter_products
from .feedback import FeedbackIn, field_errors
from .security import SESSION_COOKIE, sessions
from .settings import AppSettings

# Autoescaping on: whatever a user typed is shown as text, never run as HTML.
templates = Environment(
    loader=PackageLoader(__package__ or __name__, "templates"),
    autoescape=select_autoescape(),
)

router = APIRouter(include_in_schema=False)


def render(template: str, status_code: int = status.HTTP_200_OK, **context: Any) -> HTMLResponse:
    """A page from ``templates/``."""
    return HTMLResponse(templates.get_template(template).render(**context), status_code=status_code)


def signed_in(request: Request) -> str | None:
    """The email of the browser's session, if it has one."""
    return sessions(request).email_for(request.cookies.get(SESSION_COOKIE))


def to_login(next_path: str) -> RedirectResponse:
    """Send an anonymous visitor to the login form, and back afterwards."""
    return RedirectResponse(f"/login?next={next_path}", status.HTTP_303_SEE_OTHER)


@router.get("/")
def home() -> RedirectResponse:
    """The list is the home page."""
    return RedirectResponse("/products", status.HTTP_303_SEE_OTHER)


@router.get("/login")
def login_form(request: Request, next: str = "/dashboard") -> HTMLResponse:  # noqa: A002
    """The login form."""
    return render("login.html", user=signed_in(request), next=_local(next), error=None)


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/dashboard",  # noqa: A002
) -> Response:
    """Check the credentials; on success set the session cookie and go on."""
    settings: AppSettings = request.app.state.settings
    if not credentials_match(settings, email, password):
        return render(
            "login.html",
            status.HTTP_401_UNAUTHORIZED,
            user=None,
            next=_local(next),
            error="Wrong email or password.",
        )
    response = RedirectResponse(_local(next), status.HTTP_303_SEE_OTHER)
    # HttpOnly: page scripts cannot read it; SameSite=Lax: other sites cannot post with it.
    response.set_cookie(
        SESSION_COOKIE, sessions(request).open(email), httponly=True, samesite="lax"
    )
    return response


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    """End the session and forget the cookie."""
    sessions(request).close(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/products")
def products(
    request: Request,
    category: str = "",
    q: str = "",
    in_stock: str = "",
) -> HTMLResponse:
    """The list with its filters; the filters live in the URL, so a result can be linked."""
    chosen = Category(category) if category in set(Category) else None
    wanted = ProductFilter(category=chosen, text=q[:50], in_stock_only=in_stock == "on")
    return render(
        "products.html",
        user=signed_in(request),
        products=filter_products(wanted),
        categories=list(Category),
        wanted=wanted,
    )


@router.get("/dashboard", response_model=None)
def dashboard(request: Request) -> Response:
    """The signed-in home: its statistics widget loads after the page."""
    user = signed_in(request)
    if user is None:
        return to_login("/dashboard")
    return render("dashboard.html", user=user)


@router.get("/feedback", response_model=None)
def feedback_form(request: Request) -> Response:
    """The empty feedback form."""
    user = signed_in(request)
    if user is None:
        return to_login("/feedback")
    return render("feedback.html", user=user, values={}, errors={})


@router.post("/feedback", response_model=None)
async def send_feedback(request: Request) -> Response:
    """Validate with the API's model; show each error beside its field, keeping the input."""
    user = signed_in(request)
    if user is None:
        return to_login("/feedback")
    values = {key: str(value) for key, value in (await request.form()).items()}
    try:
        feedback = FeedbackIn.model_validate(values)
    except ValidationError as error:
        return render(
            "feedback.html",
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            user=user,
            values=values,
            errors=field_errors(error),
        )
    request.app.state.feedback.append(feedback)
    return render("thanks.html", user=user, name=feedback.name)


def _local(path: str) -> str:
    """Only paths on this site: an open redirect would let a link send users anywhere."""
    # "//host" and "/\\host" are both read by browsers as another site's address.
    return path if path.startswith("/") and not path.startswith(("//", "/\\")) else "/dashboard"
