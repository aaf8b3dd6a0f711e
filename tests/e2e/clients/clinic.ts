// The clinic API through openapi-fetch, typed by openapi-typescript's
// `api.d.ts`: an admin adds a doctor, a patient signs up, logs in and books
// an appointment, and doctors are listed without a token. Compiled with
// `tsc --strict`, then run against the live API given as the first
// argument (with the admin `create-admin` made); exits non-zero on any
// unexpected answer.
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./api";

const password = "correct horse battery";

// A client carrying the access token of `email`; the login form sends no
// `scope`, `grant_type` or client credentials.
async function logIn(baseUrl: string, email: string): Promise<Client<paths>> {
  const anonymous = createClient<paths>({ baseUrl });
  const login = await anonymous.POST("/v2/auth/login", {
    body: { username: email, password },
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  if (!login.data) throw new Error(`login: ${JSON.stringify(login.error)}`);
  const headers = { Authorization: `Bearer ${login.data.access_token}` };
  return createClient<paths>({ baseUrl, headers });
}

async function main(baseUrl: string): Promise<void> {
  const anonymous = createClient<paths>({ baseUrl });
  const admin = await logIn(baseUrl, "admin@example.com");
  const doctor = await admin.POST("/v2/doctors", { body: { name: "Dr. Ts", fee: "95.00" } });
  if (!doctor.data) throw new Error(`doctor: ${JSON.stringify(doctor.error)}`);
  const email = "ts-patient@example.com";
  const signup = await anonymous.POST("/v2/auth/signup", { body: { email, password } });
  if (!signup.data) throw new Error(`signup: ${JSON.stringify(signup.error)}`);
  const patient = await logIn(baseUrl, email);
  // `minutes` and `status` have server defaults: left out.
  const booked = await patient.POST("/v2/appointments", {
    body: { starts_at: "2030-03-01T10:30:00Z", doctor_id: doctor.data.id },
  });
  if (!booked.data) throw new Error(`book: ${JSON.stringify(booked.error)}`);
  const minutes: number = booked.data.minutes;
  if (minutes !== 20) throw new Error(`minutes: ${minutes}`);
  // Doctors answer with or without a token; without, the fee is hidden.
  const doctors = await anonymous.GET("/v2/doctors", {});
  if (!doctors.data) throw new Error(`list: ${JSON.stringify(doctors.error)}`);
  const listed = doctors.data.items.find((d) => d.id === doctor.data.id);
  if (!listed || listed.fee !== undefined) throw new Error(`listed: ${JSON.stringify(listed)}`);
}

main(process.argv[2] ?? "").catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
