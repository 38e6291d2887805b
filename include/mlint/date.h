/*
 * date.h: calendar dates without the C library's time zone machinery
 * (gmtime and localtime are banned; see src/banned.h).
 *
 * A date is kept as written: the civil date and time in its own offset,
 * plus that offset and the instant it names.
 *
 * Ownership: plain values, nothing to free.
 */
#ifndef MLINT_DATE_H
#define MLINT_DATE_H

struct mlint_date {
	int year, month, day, hour, minute, second;
	int offset;      /* minutes east of UTC, as written (0 when none) */
	long long epoch; /* the instant, in seconds since 1970-01-01T00:00:00Z */
	int has_time;    /* 0 for a date written without a time (then 00:00:00) */
};

/*
 * Reads a `Create Date:` value in the forms real projects have:
 * "2025-08-23 10:00:00", with ".123456" microseconds, a "T" instead of the
 * space, a "Z", "+02:00", "+0200" or "+02" offset, or a date alone; a
 * month or day may have one digit ("2023-05-4"). The fields are kept as
 * written (not converted to UTC). Text that is not a real date (month 21,
 * February 30) is MLINT_EUSAGE with a message naming the text and the field.
 */
int mlint_date_parse(struct mlint_date *out, const char *text);

/* The civil date and time of `epoch` seen at `offset_minutes` east of UTC. */
void mlint_date_from_epoch(struct mlint_date *out, long long epoch, int offset_minutes);

/* Days from 1970-01-01 to a proleptic Gregorian date (negative before). */
long long mlint_date_days_from_civil(int year, int month, int day);

/* Days in a month of a year (0 for a month outside 1..12). */
int mlint_date_days_in_month(int year, int month);

#endif
