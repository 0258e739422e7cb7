/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-random"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#if HAVE_GETRANDOM
#include <sys/random.h>
#endif

#include "pc-random.h"

/* Secrets that protect a sign-in (the OAuth state, the PKCE verifier) must not be
 * guessable. GRand (and g_uuid_string_random(), which uses it) is a Mersenne Twister
 * seeded from a few bytes: fine for shuffling, not for secrets. These come from the
 * kernel's cryptographic generator instead. */

static gboolean
read_urandom (guint8  *buffer,
              gsize    length,
              GError **error)
{
  gsize done = 0;
  int fd;

  fd = g_open ("/dev/urandom", O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not open /dev/urandom: %s", g_strerror (saved_errno));
      return FALSE;
    }

  while (done < length)
    {
      gssize n = read (fd, buffer + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = n < 0 ? errno : EIO;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Could not read /dev/urandom: %s", g_strerror (saved_errno));
          g_close (fd, NULL);
          return FALSE;
        }
      done += (gsize) n;
    }

  g_close (fd, NULL);
  return TRUE;
}

/**
 * pc_random_bytes:
 * @buffer: (out caller-allocates) (array length=length): where to put the bytes
 * @length: how many bytes
 *
 * Fills @buffer from the operating system's cryptographically secure generator
 * (getrandom(), or /dev/urandom where it is missing).
 *
 * Returns: %TRUE on success; %FALSE with a #G_IO_ERROR when no secure source could be
 *   read, in which case @buffer must not be used
 */
gboolean
pc_random_bytes (guint8  *buffer,
                 gsize    length,
                 GError **error)
{
  g_return_val_if_fail (buffer != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

#if HAVE_GETRANDOM
  {
    gsize done = 0;

    while (done < length)
      {
        /* getrandom() returns at most 32 MiB at once, and may be interrupted. */
        gssize n = getrandom (buffer + done, length - done, 0);

        if (n < 0 && errno == EINTR)
          continue;
        if (n < 0 && errno == ENOSYS)
          return read_urandom (buffer + done, length - done, error);
        if (n < 0)
          {
            int saved_errno = errno;

            g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                         "Could not get random bytes: %s", g_strerror (saved_errno));
            return FALSE;
          }
        done += (gsize) n;
      }
    return TRUE;
  }
#else
  return read_urandom (buffer, length, error);
#endif
}

/**
 * pc_base64url_encode:
 *
 * Encodes @data as base64url without padding (RFC 4648 §5), the alphabet OAuth and
 * PKCE use: `A–Z a–z 0–9 - _`.
 *
 * Returns: (transfer full): the encoded text
 */
char *
pc_base64url_encode (const guint8 *data,
                     gsize         length)
{
  char *text;
  gsize len;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  text = g_base64_encode (data, length);
  len = strlen (text);
  while (len > 0 && text[len - 1] == '=')
    text[--len] = '\0';

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }

  return text;
}

/**
 * pc_random_base64url:
 * @n_bytes: how many random bytes; 32 give 256 bits in 43 characters
 *
 * Returns: (transfer full) (nullable): @n_bytes from pc_random_bytes(), base64url encoded,
 *   or %NULL with a #G_IO_ERROR
 */
char *
pc_random_base64url (gsize    n_bytes,
                     GError **error)
{
  g_autofree guint8 *buffer = NULL;
  char *text;

  g_return_val_if_fail (n_bytes > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  buffer = g_malloc (n_bytes);
  if (!pc_random_bytes (buffer, n_bytes, error))
    return NULL;

  text = pc_base64url_encode (buffer, n_bytes);
  memset (buffer, 0, n_bytes);
  return text;
}
