"""The clinic API through the Python client openapi-python-client generates
(package `api_client`): an admin adds a doctor, a patient signs up, logs in
and books an appointment, and clinics are listed without a token. Checked
with `mypy --strict`, then run against the live API given as the first
argument (with the admin `create-admin` made); exits non-zero on any
unexpected answer."""

import datetime
import sys

from api_client import AuthenticatedClient, Client
from api_client.api.appointments import appointments_create_appointment
from api_client.api.auth import auth_login, auth_signup
from api_client.api.clinics import clinics_list_clinics
from api_client.api.doctors import doctors_create_doctor
from api_client.models import (
    AppointmentCreate,
    AppointmentRead,
    AppointmentStatus,
    BodyAuthLogin,
    ClinicPage,
    DoctorCreate,
    DoctorRead,
    Token,
    UserCreate,
    UserRead,
)

PASSWORD = "correct horse battery"


def log_in(client: Client, base_url: str, email: str) -> AuthenticatedClient:
    """A client of `base_url` carrying the access token of `email` (whose
    password is `PASSWORD`); no `scope` or client credentials are sent."""
    token = auth_login.sync(client=client, body=BodyAuthLogin(username=email, password=PASSWORD))
    assert isinstance(token, Token), token
    return AuthenticatedClient(base_url=base_url, token=token.access_token)


def main(base_url: str) -> None:
    """Walk the API as an admin, a new patient and an anonymous visitor."""
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    admin = log_in(anonymous, base_url, "admin@example.com")
    doctor = doctors_create_doctor.sync(
        client=admin, body=DoctorCreate(name="Dr. Py", fee="80.00")
    )
    assert isinstance(doctor, DoctorRead), doctor
    email = "py-patient@example.com"
    user = auth_signup.sync(client=anonymous, body=UserCreate(email=email, password=PASSWORD))
    assert isinstance(user, UserRead), user
    patient = log_in(anonymous, base_url, email)
    # `minutes` and `status` have server defaults: left out.
    starts = datetime.datetime(2030, 3, 1, 9, 30, tzinfo=datetime.UTC)
    booked = appointments_create_appointment.sync(
        client=patient, body=AppointmentCreate(starts_at=starts, doctor_id=doctor.id)
    )
    assert isinstance(booked, AppointmentRead), booked
    assert booked.status == AppointmentStatus.BOOKED and booked.minutes == 20, booked
    # Clinics need no token: the anonymous client is accepted.
    clinics = clinics_list_clinics.sync(client=anonymous)
    assert isinstance(clinics, ClinicPage), clinics


if __name__ == "__main__":
    main(sys.argv[1])
