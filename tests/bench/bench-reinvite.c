/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Re-invite benchmark: the latency of one ReInvite through PcApi, and the throughput of
 * a batch of 1,000 through PcReinviter, each against a raw client sending the same bytes
 * to the same local server, in one process, side by side (alternating rounds, medians).
 *
 * The server runs on 127.0.0.1 in its own thread: PhoneChat's sandbox (PcSandbox), which
 * checks each ReInvite by the API's rules and answers with the booking, rejected, as the
 * API does; its bookings are all re-invitable and each request names another one. The
 * latency is also measured against a minimal SoupServer that answers at once with a
 * fixed booking (the client's overhead alone, for reference: the floor there is smaller).
 *
 * The raw clients use blocking sockets. The latency's floor is the issue's: a raw client
 * that opens a new connection per request, which is also PcApi's policy for a POST
 * (pc-api.c, prepare_message(), says why). The batch's peer follows it too. Kept
 * connections, and libsoup alone sending the same requests (one at a time, and as many in
 * flight as a batch keeps), are printed for reference, to tell PhoneChat's own overhead
 * from its libraries'.
 *
 * Output: a readable report, then one "BENCH|figure|phonechat|floor|ratio|target|result"
 * line per figure for build-aux/bench.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libsoup/soup.h>

#include "pc-api.h"
#include "pc-booking.h"
#include "pc-booking-store.h"
#include "pc-clock.h"
#include "pc-json.h"
#include "pc-reinviter.h"
#include "pc-sandbox.h"

#define REINVITE_PATH  "/v1/PhoneChat/ReInvite"
#define TOKEN          "bench-token"
#define REASON         "Sorry I missed you, please book again."
#define LATENCY_ROUNDS 15
#define LATENCY_PER_ROUND 40
#define BATCH_SIZE     1000
#define BATCH_ROUNDS   5
/* Every request re-invites another booking: the warm-ups and rounds of both figures. */
#define N_REINVITABLE  (4 * (20 + LATENCY_ROUNDS * LATENCY_PER_ROUND) + \
                        4 * (BATCH_ROUNDS + 1) * BATCH_SIZE)

/* One booking as the server answers a ReInvite, %s the BookingID. */
#define BOOKING_TEMPLATE \
  "{\"BookingID\":%s,\"Duration\":10,\"Credits\":15,\"Status\":\"Rejected\",\"Method\":1," \
  "\"PhoneNumber\":\"07700900123\",\"SkypeName\":null,\"CreateDate\":\"2025-06-13T18:02:11.403\"," \
  "\"SessionDate\":\"2025-06-14T21:30:00\",\"AcceptBy\":\"2025-06-14T20:00:00\"," \
  "\"AcceptedDate\":null,\"ConfirmedDate\":null,\"CancelledDate\":null,\"CancelledReason\":null," \
  "\"CancelledBy\":null,\"RejectedReason\":\"" REASON "\",\"LastUpdated\":\"2025-06-15T08:00:00.000\"," \
  "\"Comments\":\"Hi, free after 9pm - hope that time suits you.\",\"ActionCandidate\":null," \
  "\"Client\":{\"UserID\":2938471,\"Nickname\":\"NightOwl_77\",\"PhoneNumber\":\"07700900123\"," \
  "\"SkypeName\":null,\"Total\":12,\"Positive\":11,\"Neutral\":1,\"Negative\":0,\"Ratings\":12," \
  "\"Disputes\":0}}"

typedef struct
{
  gboolean      minimal;
  PcSandbox    *sandbox;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  guint         port;
  GMutex        mutex;
  GCond         cond;
  gboolean      ready;
  gint          requests;   /* atomic */
  GThread      *thread;
} Server;

static double
now_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* ---- The server ---------------------------------------------------------------------- */

static void
reinvite_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  Server *s = user_data;
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  char id[24] = "0";
  const char *p;
  char *answer;

  g_atomic_int_inc (&s->requests);

  p = request->data != NULL ? g_strstr_len (request->data, request->length, "\"BookingID\":") : NULL;
  if (p != NULL)
    {
      gsize n = 0;

      p += strlen ("\"BookingID\":");
      while (n < sizeof id - 1 && p + n < request->data + request->length && g_ascii_isdigit (p[n]))
        n++;
      memcpy (id, p, n);
      id[n] = '\0';
    }

  answer = g_strdup_printf (BOOKING_TEMPLATE, id);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    answer, strlen (answer));
}

static gpointer
server_thread (gpointer data)
{
  Server *s = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (s->context);
  if (s->minimal)
    {
      s->server = soup_server_new ("server-header", "bench", NULL);
      soup_server_add_handler (s->server, REINVITE_PATH, reinvite_handler, s, NULL);
      if (!soup_server_listen_local (s->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
        g_error ("Cannot listen: %s", error->message);
      uris = soup_server_get_uris (s->server);
      s->port = g_uri_get_port (uris->data);
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }
  else
    {
      s->sandbox = pc_sandbox_new (NULL, TOKEN);
      pc_sandbox_load_reinvitable (s->sandbox, N_REINVITABLE);
      if (!pc_sandbox_listen (s->sandbox, 0, &error))
        g_error ("Cannot listen: %s", error->message);
      s->port = pc_sandbox_get_port (s->sandbox);
    }

  g_mutex_lock (&s->mutex);
  s->ready = TRUE;
  g_cond_signal (&s->cond);
  g_mutex_unlock (&s->mutex);

  g_main_loop_run (s->loop);

  if (s->server != NULL)
    soup_server_disconnect (s->server);
  g_clear_object (&s->server);
  if (s->sandbox != NULL)
    {
      g_atomic_int_set (&s->requests, pc_sandbox_count_requests (s->sandbox, "POST", REINVITE_PATH));
      pc_sandbox_stop (s->sandbox);
    }
  g_clear_object (&s->sandbox);
  g_main_context_pop_thread_default (s->context);
  return NULL;
}

/* ---- The raw client: blocking sockets, the bytes PcApi sends -------------------------- */

typedef struct
{
  guint   port;
  char   *head;   /* request line and headers, up to the Content-Length value */
  int     fd;     /* a kept connection, or -1 */
} Raw;

static int
raw_connect (guint port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (port),
                              .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  int one = 1;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0 || connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    g_error ("connect: %s", g_strerror (errno));
  /* As GSocketClient does for TCP. */
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static void
write_all (int         fd,
           const char *data,
           gsize       len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("write: %s", g_strerror (errno));
      data += n;
      len -= n;
    }
}

/* Reads one answer: the headers, then Content-Length bytes of body. Returns the status. */
static guint
read_answer (int fd)
{
  char buffer[8192];
  gsize have = 0;
  const char *end = NULL;
  const char *length;
  gsize body_len;
  guint status;

  while (end == NULL)
    {
      ssize_t n = read (fd, buffer + have, sizeof buffer - 1 - have);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("read: %s", n < 0 ? g_strerror (errno) : "connection closed");
      have += n;
      buffer[have] = '\0';
      end = strstr (buffer, "\r\n\r\n");
    }

  status = strtoul (buffer + strlen ("HTTP/1.1 "), NULL, 10);
  length = strcasestr (buffer, "\r\nContent-Length:");
  if (length == NULL || length > end)
    g_error ("No Content-Length in the answer");
  body_len = strtoul (length + strlen ("\r\nContent-Length:"), NULL, 10);

  for (gsize got = have - (end + 4 - buffer); got < body_len;)
    {
      ssize_t n = read (fd, buffer, MIN (sizeof buffer, body_len - got));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("read: %s", n < 0 ? g_strerror (errno) : "connection closed");
      got += n;
    }

  return status;
}

static void
raw_reinvite (Raw      *raw,
              gint64    booking_id,
              gboolean  keep_alive)
{
  char body[256];
  char request[1024];
  int body_len = g_snprintf (body, sizeof body, "{\"BookingID\":%" G_GINT64_FORMAT
                             ",\"Reason\":\"" REASON "\"}", booking_id);
  int len = g_snprintf (request, sizeof request, "%s%d\r\n\r\n%s", raw->head, body_len, body);
  int fd = raw->fd >= 0 ? raw->fd : raw_connect (raw->port);

  write_all (fd, request, len);
  if (read_answer (fd) != 200)
    g_error ("The raw re-invite failed");

  if (keep_alive)
    raw->fd = fd;
  else
    close (fd);
}

static void
raw_init (Raw   *raw,
          guint  port)
{
  raw->port = port;
  raw->fd = -1;
  /* The headers libsoup sends for PcApi's ReInvite, in its order (seen with
   * PHONECHAT_DEBUG=http). */
  raw->head = g_strdup_printf ("POST " REINVITE_PATH " HTTP/1.1\r\n"
                               "Host: 127.0.0.1:%u\r\n"
                               "Accept-Encoding: gzip, deflate\r\n"
                               "Authorization: bearer " TOKEN "\r\n"
                               "Accept: application/json\r\n"
                               "User-Agent: PhoneChat/" PACKAGE_VERSION " (" APP_ID ")\r\n"
                               "Connection: Keep-Alive\r\n"
                               "Content-Type: application/json\r\n"
                               "Content-Length: ", port);
}

static void
raw_clear (Raw *raw)
{
  if (raw->fd >= 0)
    close (raw->fd);
  raw->fd = -1;
  g_clear_pointer (&raw->head, g_free);
}

/* ---- PhoneChat's client --------------------------------------------------------------- */

typedef struct
{
  gboolean  done;
  GError   *error;
} Wait;

static void
reinvite_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Wait *wait = user_data;
  g_autoptr(PcBooking) booking = pc_api_reinvite_finish (PC_API (source), result, &wait->error);

  wait->done = TRUE;
}

static void
api_reinvite (PcApi  *api,
              gint64  booking_id)
{
  Wait wait = { FALSE, NULL };

  pc_api_reinvite_async (api, booking_id, REASON, NULL, reinvite_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (wait.error != NULL)
    g_error ("The re-invite failed: %s", wait.error->message);
}

/* The library floor: the same request through libsoup alone, the body read whole, not
 * parsed. */
static void
soup_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &wait->error);

  wait->done = TRUE;
}

/* The ReInvite request PcApi sends, built with libsoup alone. */
static SoupMessage *
soup_reinvite_message (guint  port,
                       gint64 booking_id)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u" REINVITE_PATH, port);
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, url);
  char *body = g_strdup_printf ("{\"BookingID\":%" G_GINT64_FORMAT ",\"Reason\":\"" REASON "\"}",
                                booking_id);
  g_autoptr(GBytes) bytes = g_bytes_new_take (body, strlen (body));
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Authorization", "bearer " TOKEN);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "User-Agent", "PhoneChat/" PACKAGE_VERSION " (" APP_ID ")");
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  return msg;
}

static void
soup_reinvite (SoupSession *session,
               guint        port,
               gint64       booking_id)
{
  g_autoptr(SoupMessage) msg = soup_reinvite_message (port, booking_id);
  Wait wait = { FALSE, NULL };

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, soup_read_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (wait.error != NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
    g_error ("The libsoup re-invite failed");
}

static PcApi *
make_api (SoupSession *session,
          guint        port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  PcApi *api = pc_api_new (session, url, &error);

  g_assert_no_error (error);
  pc_api_set_token (api, TOKEN);
  return api;
}

/* ---- Figures ------------------------------------------------------------------------- */

static void
print_line (const char *figure,
            const char *phonechat,
            const char *floor,
            double      ratio,
            const char *target,
            gboolean    pass)
{
  printf ("BENCH|%s|%s|%s|%.2f×|%s|%s\n", figure, phonechat, floor, ratio, target,
          pass ? "pass" : "FAIL");
}

static void
bench_latency (Server *s,
               gint64 *next_id)
{
  g_autoptr(SoupSession) session = pc_api_new_session ();

  g_autoptr(PcApi) api = make_api (session, s->port);
  double api_ms[LATENCY_ROUNDS], new_ms[LATENCY_ROUNDS], kept_ms[LATENCY_ROUNDS];
  double soup_ms[LATENCY_ROUNDS];
  double api_median, new_median, kept_median, soup_median, ratio;
  gint64 id = *next_id;
  char a[32], b[48];
  Raw raw;

  raw_init (&raw, s->port);

  /* Warm up both paths: first connections, caches, lazily loaded code. */
  for (guint i = 0; i < 20; i++)
    {
      api_reinvite (api, id++);
      raw_reinvite (&raw, id++, FALSE);
    }

  /* Rounds alternate which client goes first; each figure is the mean of a round. */
  for (guint round = 0; round < LATENCY_ROUNDS; round++)
    {
      for (guint order = 0; order < 2; order++)
        {
          double start;

          if ((order == 0) == (round % 2 == 0))
            {
              start = now_seconds ();
              for (guint i = 0; i < LATENCY_PER_ROUND; i++)
                api_reinvite (api, id++);
              api_ms[round] = (now_seconds () - start) * 1000 / LATENCY_PER_ROUND;
            }
          else
            {
              start = now_seconds ();
              for (guint i = 0; i < LATENCY_PER_ROUND; i++)
                raw_reinvite (&raw, id++, FALSE);
              new_ms[round] = (now_seconds () - start) * 1000 / LATENCY_PER_ROUND;
            }
        }

      raw.fd = -1;
      {
        double start = now_seconds ();

        for (guint i = 0; i < LATENCY_PER_ROUND; i++)
          soup_reinvite (session, s->port, id++);
        soup_ms[round] = (now_seconds () - start) * 1000 / LATENCY_PER_ROUND;
      }
      {
        double start = now_seconds ();

        for (guint i = 0; i < LATENCY_PER_ROUND; i++)
          raw_reinvite (&raw, id++, TRUE);
        kept_ms[round] = (now_seconds () - start) * 1000 / LATENCY_PER_ROUND;
        close (raw.fd);
        raw.fd = -1;
      }
    }

  api_median = median (api_ms, LATENCY_ROUNDS);
  new_median = median (new_ms, LATENCY_ROUNDS);
  kept_median = median (kept_ms, LATENCY_ROUNDS);
  soup_median = median (soup_ms, LATENCY_ROUNDS);
  ratio = api_median / new_median;

  *next_id = id;
  printf ("One ReInvite, sequential, to %s (%d rounds of %d, medians of the rounds' means):\n",
          s->minimal ? "a minimal server, for reference" : "the sandbox",
          LATENCY_ROUNDS, LATENCY_PER_ROUND);
  printf ("  PcApi:                         %.3f ms\n", api_median);
  printf ("  raw client, new connection:    %.3f ms   (ratio %.2f)\n", new_median, ratio);
  printf ("  raw client, kept connection:   %.3f ms   (reference only)\n", kept_median);
  printf ("  libsoup alone, same request:   %.3f ms   (%.2f× raw; PcApi is %.2f× it)\n",
          soup_median, soup_median / new_median, api_median / soup_median);

  if (!s->minimal)
    {
      g_snprintf (a, sizeof a, "%.3f ms", api_median);
      g_snprintf (b, sizeof b, "%.3f ms (raw, new conn.)", new_median);
      print_line ("ReInvite latency", a, b, ratio, "≤ 1.50×", ratio <= 1.5);
      /* The library's own share, for reference: the same request through libsoup alone. */
      g_snprintf (a, sizeof a, "%.3f ms", soup_median);
      print_line ("ReInvite latency, libsoup alone (floor)", a, b, soup_median / new_median,
                  "report", TRUE);
    }

  raw_clear (&raw);
}

/* -- Batch -- */

typedef struct
{
  guint    port;
  gint     next;      /* atomic: the next request to take */
  guint    total;
  gint64   first_id;
  gboolean keep_alive;
} RawBatch;

static gpointer
raw_worker (gpointer data)
{
  RawBatch *batch = data;
  Raw raw;
  gint n;

  raw_init (&raw, batch->port);
  while ((n = g_atomic_int_add (&batch->next, 1)) < (gint) batch->total)
    raw_reinvite (&raw, batch->first_id + n, batch->keep_alive);
  raw_clear (&raw);
  return NULL;
}

static double
raw_batch (guint    port,
           gint64   first_id,
           gboolean keep_alive)
{
  RawBatch batch = { port, 0, BATCH_SIZE, first_id, keep_alive };
  GThread *workers[PC_REINVITER_MAX_IN_FLIGHT];
  double start = now_seconds ();

  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    workers[i] = g_thread_new ("raw-worker", raw_worker, &batch);
  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    g_thread_join (workers[i]);

  return BATCH_SIZE / (now_seconds () - start);
}

/* The batch's library floor: libsoup alone keeping as many ReInvites in flight as
 * PcReinviter does, each answer read whole and not parsed. */
typedef struct
{
  SoupSession *session;
  guint        port;
  gint64       first_id;
  guint        sent;
  guint        answered;
} SoupBatch;

static void soup_batch_send (SoupBatch *batch);

static void
soup_batch_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SoupBatch *batch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  if (body == NULL)
    g_error ("The libsoup re-invite failed: %s", error->message);
  batch->answered++;
  soup_batch_send (batch);
}

static void
soup_batch_send (SoupBatch *batch)
{
  g_autoptr(SoupMessage) msg = NULL;

  if (batch->sent == BATCH_SIZE)
    return;
  msg = soup_reinvite_message (batch->port, batch->first_id + batch->sent++);
  soup_session_send_and_read_async (batch->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    soup_batch_cb, batch);
}

static double
soup_batch (SoupSession *session,
            guint        port,
            gint64       first_id)
{
  SoupBatch batch = { session, port, first_id, 0, 0 };
  double start = now_seconds ();

  for (guint i = 0; i < PC_REINVITER_MAX_IN_FLIGHT; i++)
    soup_batch_send (&batch);
  while (batch.answered < BATCH_SIZE)
    g_main_context_iteration (NULL, TRUE);

  return BATCH_SIZE / (now_seconds () - start);
}

static void
batch_finished_cb (PcReinviter     *reinviter,
                   PcReinviteBatch *result,
                   gboolean        *done)
{
  *done = TRUE;
}

static GPtrArray *
make_bookings (gint64 first_id)
{
  GPtrArray *bookings = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < BATCH_SIZE; i++)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, first_id + i);
      g_autofree char *json = g_strdup_printf (BOOKING_TEMPLATE, id);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      PcBooking *booking;
      char *status = strstr (json, "\"Rejected\"");
      char *reason = strstr (json, "\"RejectedReason\":\"");

      /* Pending, no reason, the session past: re-invitable. */
      memcpy (status, "\"Pending\" ", strlen ("\"Rejected\""));
      memset (reason + strlen ("\"RejectedReason\":"), ' ', strlen ("\"" REASON "\""));
      memcpy (reason + strlen ("\"RejectedReason\":"), "null", 4);
      bytes = g_bytes_new (json, strlen (json));
      booking = pc_json_booking_from_bytes (bytes, NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (bookings, booking);
    }

  return bookings;
}

static double
api_batch (PcApi  *api,
           PcClock *clock,
           gint64  first_id)
{
  g_autoptr(PcBookingStore) store = pc_booking_store_new (clock);
  g_autoptr(PcReinviter) reinviter = pc_reinviter_new (api, store);
  g_autoptr(GPtrArray) bookings = make_bookings (first_id);
  g_autoptr(GPtrArray) stored = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean done = FALSE;
  double start;

  pc_booking_store_replace_all (store, bookings);
  for (guint i = 0; i < BATCH_SIZE; i++)
    g_ptr_array_add (stored, g_object_ref (pc_booking_store_lookup (store, first_id + i)));
  g_signal_connect (reinviter, "batch-finished", G_CALLBACK (batch_finished_cb), &done);

  start = now_seconds ();
  if (!pc_reinviter_start_batch (reinviter, stored, REASON))
    g_error ("The batch did not start");
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  return BATCH_SIZE / (now_seconds () - start);
}

static void
bench_batch (Server *s,
             gint64  id)
{
  g_autoptr(SoupSession) session = pc_api_new_session ();
  g_autoptr(PcApi) api = make_api (session, s->port);
  g_autoptr(PcClock) clock = pc_clock_new_system ();
  double api_rate[BATCH_ROUNDS], raw_rate[BATCH_ROUNDS], new_rate[BATCH_ROUNDS];
  double soup_rate[BATCH_ROUNDS];
  double api_median, raw_median, new_median, soup_median, ratio;
  char a[32], b[48];

  /* Warm-up. */
  api_batch (api, clock, id);
  id += BATCH_SIZE;
  raw_batch (s->port, id, FALSE);
  id += BATCH_SIZE;

  /* The raw client follows PcApi's connection policy (a new connection per POST); with
   * kept connections it is shown for reference. */
  for (guint round = 0; round < BATCH_ROUNDS; round++)
    {
      for (guint order = 0; order < 2; order++)
        {
          if ((order == 0) == (round % 2 == 0))
            api_rate[round] = api_batch (api, clock, id);
          else
            raw_rate[round] = raw_batch (s->port, id, FALSE);
          id += BATCH_SIZE;
        }
      new_rate[round] = raw_batch (s->port, id, TRUE);
      id += BATCH_SIZE;
      soup_rate[round] = soup_batch (session, s->port, id);
      id += BATCH_SIZE;
    }

  api_median = median (api_rate, BATCH_ROUNDS);
  raw_median = median (raw_rate, BATCH_ROUNDS);
  new_median = median (new_rate, BATCH_ROUNDS);
  soup_median = median (soup_rate, BATCH_ROUNDS);
  ratio = api_median / raw_median;

  printf ("Batch of %d, at most %d in flight (%d rounds, medians):\n", BATCH_SIZE,
          PC_REINVITER_MAX_IN_FLIGHT, BATCH_ROUNDS);
  printf ("  PcReinviter:                       %.0f re-invites/s\n", api_median);
  printf ("  raw client, %d workers, new conn.:  %.0f re-invites/s   (ratio %.2f)\n",
          PC_REINVITER_MAX_IN_FLIGHT, raw_median, ratio);
  printf ("  raw client, %d workers, kept conn.: %.0f re-invites/s   (reference only)\n",
          PC_REINVITER_MAX_IN_FLIGHT, new_median);
  printf ("  libsoup alone, %d in flight:        %.0f re-invites/s   (%.2f× raw; PcReinviter is %.2f× it)\n",
          PC_REINVITER_MAX_IN_FLIGHT, soup_median, soup_median / raw_median,
          api_median / soup_median);

  g_snprintf (a, sizeof a, "%.0f /s", api_median);
  g_snprintf (b, sizeof b, "%.0f /s (raw, %d workers, new conn.)", raw_median,
              PC_REINVITER_MAX_IN_FLIGHT);
  print_line ("Batch of 1,000 throughput", a, b, ratio, "≥ 0.80×", ratio >= 0.8);
  /* The library's own share, for reference: the same requests through libsoup alone. */
  g_snprintf (a, sizeof a, "%.0f /s", soup_median);
  print_line ("Batch of 1,000 throughput, libsoup alone (floor)", a, b, soup_median / raw_median,
              "report", TRUE);
}

static void
server_start (Server   *s,
              gboolean  minimal)
{
  s->minimal = minimal;
  s->context = g_main_context_new ();
  s->loop = g_main_loop_new (s->context, FALSE);
  g_mutex_init (&s->mutex);
  g_cond_init (&s->cond);
  s->thread = g_thread_new ("server", server_thread, s);
  g_mutex_lock (&s->mutex);
  while (!s->ready)
    g_cond_wait (&s->cond, &s->mutex);
  g_mutex_unlock (&s->mutex);
}

static guint
server_stop (Server *s)
{
  g_main_loop_quit (s->loop);
  g_thread_join (s->thread);
  g_main_loop_unref (s->loop);
  g_main_context_unref (s->context);
  g_mutex_clear (&s->mutex);
  g_cond_clear (&s->cond);
  return g_atomic_int_get (&s->requests);
}

int
main (int    argc,
      char **argv)
{
  Server sandbox = { 0 }, minimal = { 0 };
  gboolean latency = TRUE, batch = TRUE;
  gint64 id = PC_SANDBOX_REINVITABLE_FIRST_ID;

  setlocale (LC_ALL, "");
  if (argc > 1)
    {
      latency = g_str_equal (argv[1], "latency");
      batch = g_str_equal (argv[1], "batch");
    }

  server_start (&sandbox, FALSE);
  if (latency)
    bench_latency (&sandbox, &id);
  if (batch)
    bench_batch (&sandbox, id);
  printf ("(the sandbox answered %u re-invites)\n", server_stop (&sandbox));

  if (latency)
    {
      gint64 any = 1;

      server_start (&minimal, TRUE);
      bench_latency (&minimal, &any);
      server_stop (&minimal);
    }

  return 0;
}
