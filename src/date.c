/* Calendar arithmetic (Howard Hinnant's civil-days algorithms) and parsing. */
#include <ctype.h>
#include <string.h>
#include "mlint/date.h"
#include "util.h"

long long mlint_date_days_from_civil(int year, int month, int day)
{
	long long y = (long long)year - (month <= 2);
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long mp = (month + 9) % 12;
	long long doy = (153 * mp + 2) / 5 + day - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, int *year, int *month, int *day)
{
	long long era, doe, yoe, doy, mp, y;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(y + (*month <= 2));
}

int mlint_date_days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (month < 1 || month > 12)
		return 0;
	return days[month - 1] + (month == 2 && leap);
}

void mlint_date_from_epoch(struct mlint_date *out, long long epoch, int offset_minutes)
{
	long long local = epoch + (long long)offset_minutes * 60;
	long long days = (local >= 0 ? local : local - 86399) / 86400;
	long long secs = local - days * 86400;

	civil_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(secs / 3600);
	out->minute = (int)(secs / 60 % 60);
	out->second = (int)(secs % 60);
	out->offset = offset_minutes;
	out->epoch = epoch;
	out->has_time = 1;
}

/* Exactly n digits at *p. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* One or two digits at *p: people write "2023-05-4" by hand. */
static int one_or_two_digits(const char **p, int *out)
{
	return digits(p, isdigit((unsigned char)(*p)[0]) && isdigit((unsigned char)(*p)[1]) ? 2 : 1,
		      out);
}

static int parse_offset(const char **p, int *offset)
{
	int sign, h, m = 0;
	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		*offset = 0;
		return 0;
	}
	if (**p != '+' && **p != '-')
		return 0;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (digits(p, 2, &h) < 0)
		return -1;
	if (**p == ':')
		(*p)++;
	if (isdigit((unsigned char)**p) && digits(p, 2, &m) < 0)
		return -1;
	if (h > 23 || m > 59)
		return -1;
	*offset = sign * (h * 60 + m);
	return 0;
}

static int parse_time(const char **p, struct mlint_date *d)
{
	if (**p != ' ' && **p != 'T' && **p != 't')
		return 0;
	if (!isdigit((unsigned char)(*p)[1]))
		return 0;
	(*p)++;
	d->has_time = 1;
	if (digits(p, 2, &d->hour) < 0 || *(*p)++ != ':' || digits(p, 2, &d->minute) < 0)
		return -1;
	if (**p == ':') {
		(*p)++;
		if (digits(p, 2, &d->second) < 0)
			return -1;
		if (**p == '.' || **p == ',') {
			(*p)++;
			if (!isdigit((unsigned char)**p))
				return -1;
			while (isdigit((unsigned char)**p))
				(*p)++;
		}
	}
	if (**p == ' ' && ((*p)[1] == '+' || (*p)[1] == '-'))
		(*p)++;
	return parse_offset(p, &d->offset);
}

static const char *bad_field(const struct mlint_date *d)
{
	if (d->month < 1 || d->month > 12)
		return "month";
	if (d->day < 1 || d->day > mlint_date_days_in_month(d->year, d->month))
		return "day";
	if (d->hour > 23)
		return "hour";
	if (d->minute > 59)
		return "minute";
	if (d->second > 60)
		return "second";
	return NULL;
}

int mlint_date_parse(struct mlint_date *out, const char *text)
{
	const char *p = text;
	const char *field;
	struct mlint_date d;

	memset(&d, 0, sizeof(d));
	while (*p == ' ' || *p == '\t')
		p++;
	if (digits(&p, 4, &d.year) < 0 || *p++ != '-' || one_or_two_digits(&p, &d.month) < 0 ||
	    *p++ != '-' || one_or_two_digits(&p, &d.day) < 0 || parse_time(&p, &d) < 0)
		return mlint_error_setc(MLINT_EUSAGE, "'%s' is not a date in a known form", text);
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	if (*p)
		return mlint_error_setc(MLINT_EUSAGE, "'%s' is not a date in a known form", text);
	if ((field = bad_field(&d)) != NULL)
		return mlint_error_setc(MLINT_EUSAGE, "'%s' is not a real date: bad %s", text, field);
	d.epoch = mlint_date_days_from_civil(d.year, d.month, d.day) * 86400 + d.hour * 3600LL +
		  d.minute * 60LL + (d.second > 59 ? 59 : d.second) - d.offset * 60LL;
	*out = d;
	return 0;
}
