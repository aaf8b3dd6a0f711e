"""The blog API through the Python client openapi-python-client generates
(package `api_client`): sign up, log in, create a post, list categories
without a token. Checked with `mypy --strict`, then run against the live
API given as the first argument; exits non-zero on any unexpected answer."""

import sys

from api_client import AuthenticatedClient, Client
from api_client.api.auth import auth_login, auth_signup
from api_client.api.categories import categories_list_categories
from api_client.api.posts import posts_create_post, posts_list_posts
from api_client.models import (
    BodyAuthLogin,
    CategoryPage,
    PostCreate,
    PostPage,
    PostRead,
    PostStatus,
    Token,
    UserCreate,
    UserRead,
)


def main(base_url: str) -> None:
    """Walk the API as a new author and as an anonymous reader."""
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    email, password = "py-client@example.com", "correct horse battery"
    user = auth_signup.sync(client=anonymous, body=UserCreate(email=email, password=password))
    assert isinstance(user, UserRead), user
    # No `scope`, `grant_type` or client credentials: the form needs none.
    token = auth_login.sync(client=anonymous, body=BodyAuthLogin(username=email, password=password))
    assert isinstance(token, Token), token
    author = AuthenticatedClient(base_url=base_url, token=token.access_token)
    # Fields with server defaults (`status`, `views`, `featured`) left out.
    post = posts_create_post.sync(
        client=author, body=PostCreate(title="Typed", slug="typed-py", body="From Python.")
    )
    assert isinstance(post, PostRead), post
    assert post.status == PostStatus.DRAFT and post.views == 0, post
    # Categories need no token: the anonymous client is accepted.
    categories = categories_list_categories.sync(client=anonymous)
    assert isinstance(categories, CategoryPage), categories
    # Posts answer with or without a token (`security: [{}, bearer]`);
    # openapi-python-client 0.29 still asks for an AuthenticatedClient there
    # (its issue #1372), so the author's client lists them.
    posts = posts_list_posts.sync(client=author)
    assert isinstance(posts, PostPage) and posts.total == 1, posts


if __name__ == "__main__":
    main(sys.argv[1])
