"""The JSON API, under ``/api/v1``; its OpenAPI document is the contract tests read."""

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from fastapi.exceptions import HTTPException
from pydantic import BaseModel

from .accounts import credentials_match
from .catalog import PRODUCTS, Category, Product, ProductFilter, filter_products
from .feedback import FeedbackIn
from .security import CurrentEmail, sessions
from .settings import AppSettings


class ErrorOut(BaseModel):
    """The body of a 401."""

    detail: str


class LoginIn(BaseModel):
    """Credentials."""

    email: str
    password: str


class SessionOut(BaseModel):
    """A session token, to send as ``Authorization: Bearer <token>``."""

    token: str


class ProductOut(BaseModel):
    """One product."""

    sku: str
    name: str
    category: Category
    price_cents: int
    in_stock: bool


class ProductList(BaseModel):
    """The products a filter matched."""

    items: list[ProductOut]
    total: int


class MeOut(BaseModel):
    """The signed-in account."""

    email: str


class FeedbackOut(BaseModel):
    """Feedback as received."""

    received: int
    rating: int


class StatsOut(BaseModel):
    """Numbers for the dashboard's widget."""

    products: int
    in_stock: int


UNAUTHORIZED: dict[int | str, dict[str, Any]] = {status.HTTP_401_UNAUTHORIZED: {"model": ErrorOut}}

router = APIRouter(prefix="/api/v1", tags=["api"])


def _product_out(product: Product) -> ProductOut:
    return ProductOut(
        sku=product.sku,
        name=product.name,
        category=product.category,
        price_cents=product.price_cents,
        in_stock=product.in_stock,
    )


@router.post("/sessions", status_code=status.HTTP_201_CREATED, responses=UNAUTHORIZED)
def create_session(body: LoginIn, request: Request) -> SessionOut:
    """Sign in: the token is valid until the server stops."""
    settings: AppSettings = request.app.state.settings
    if not credentials_match(settings, body.email, body.password):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="Wrong email or password.")
    return SessionOut(token=sessions(request).open(body.email))


@router.get("/products")
def list_products(
    category: Category | None = None,
    q: Annotated[str, Query(max_length=50)] = "",
    in_stock: bool = False,
) -> ProductList:
    """The products matching every filter given, sorted by name."""
    found = filter_products(ProductFilter(category=category, text=q, in_stock_only=in_stock))
    return ProductList(items=[_product_out(p) for p in found], total=len(found))


@router.get("/me", responses=UNAUTHORIZED)
def me(email: CurrentEmail) -> MeOut:
    """Who the token belongs to."""
    return MeOut(email=email)


@router.post("/feedback", status_code=status.HTTP_201_CREATED, responses=UNAUTHORIZED)
def send_feedback(body: FeedbackIn, email: CurrentEmail, request: Request) -> FeedbackOut:
    """Store a feedback message (counted only: the app under test keeps no database)."""
    del email  # signing in is the rule; who sent it is not stored
    count: list[FeedbackIn] = request.app.state.feedback
    count.append(body)
    return FeedbackOut(received=len(count), rating=body.rating)


@router.get("/stats")
async def stats(request: Request) -> StatsOut:
    """Catalog numbers, after ``QA_WIDGET_DELAY`` seconds: the slow widget's data."""
    settings: AppSettings = request.app.state.settings
    await asyncio.sleep(settings.widget_delay)
    return StatsOut(products=len(PRODUCTS), in_stock=sum(p.in_stock for p in PRODUCTS))
