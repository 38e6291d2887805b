#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "mlint/common.h"
#include "mlint/date.h"

static void parsed(const char *text, int y, int mo, int d, int h, int mi, int s, int off)
{
	struct mlint_date dt;
	assert_int_equal(mlint_date_parse(&dt, text), 0);
	assert_int_equal(dt.year, y);
	assert_int_equal(dt.month, mo);
	assert_int_equal(dt.day, d);
	assert_int_equal(dt.hour, h);
	assert_int_equal(dt.minute, mi);
	assert_int_equal(dt.second, s);
	assert_int_equal(dt.offset, off);
}

static void test_date_forms(void **state)
{
	(void)state;
	parsed("2025-04-17 16:25:52.904481", 2025, 4, 17, 16, 25, 52, 0);
	parsed("2025-04-17 16:25:52", 2025, 4, 17, 16, 25, 52, 0);
	parsed("2025-04-17T16:25:52", 2025, 4, 17, 16, 25, 52, 0);
	parsed("2025-04-17T16:25:52.1Z", 2025, 4, 17, 16, 25, 52, 0);
	parsed("2025-04-17 16:25:52.904481+02:00", 2025, 4, 17, 16, 25, 52, 120);
	parsed("2025-04-17 23:25:52-0530", 2025, 4, 17, 23, 25, 52, -330);
	parsed("2025-04-17 16:25:52 +01", 2025, 4, 17, 16, 25, 52, 60);
	parsed("2025-04-17 16:25", 2025, 4, 17, 16, 25, 0, 0);
	parsed("2025-04-17", 2025, 4, 17, 0, 0, 0, 0);
	parsed("  2024-02-29 00:00:00  ", 2024, 2, 29, 0, 0, 0, 0);
}

/* Written by hand in a real project: one-digit months and days. */
static void test_date_one_digit_fields(void **state)
{
	struct mlint_date dt;
	(void)state;
	parsed("2023-05-4 09:44:57", 2023, 5, 4, 9, 44, 57, 0);
	parsed("2023-5-04 09:44:57", 2023, 5, 4, 9, 44, 57, 0);
	parsed("2023-5-4", 2023, 5, 4, 0, 0, 0, 0);
	assert_int_equal(mlint_date_parse(&dt, "2023-05-4"), 0);
	assert_int_equal(dt.has_time, 0);
	assert_int_equal(mlint_date_parse(&dt, "2023-05-4 09:44"), 0);
	assert_int_equal(dt.has_time, 1);
	assert_int_equal(mlint_date_parse(&dt, "2023-02-30"), MLINT_EUSAGE);
}

static void test_date_not_real(void **state)
{
	static const char *const bad[] = {
		"2025-21-01 00:00:00", "2025-02-29 10:00:00", "2025-04-31", "2025-04-17 24:00:00",
		"2025-04-17 10:61:00", "17/04/2025", "2025-004-17", "25-04-17", "yesterday", "",
		"2025-04-17 10:00:00 tomorrow", "2025-04-17 10:00:00+25:00",
	};
	struct mlint_date dt;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mlint_date_parse(&dt, bad[i]), MLINT_EUSAGE);
	mlint_date_parse(&dt, "2025-21-01 00:00:00");
	assert_non_null(strstr(mlint_error_last(), "bad month"));
}

static void test_date_epoch(void **state)
{
	struct mlint_date dt;
	(void)state;
	assert_int_equal(mlint_date_parse(&dt, "2025-08-23T10:00:00+02:00"), 0);
	assert_int_equal(dt.epoch, 1755936000LL);
	mlint_date_from_epoch(&dt, 1755936000LL, -600); /* 22:00 the day before in UTC-10 */
	assert_int_equal(dt.year, 2025);
	assert_int_equal(dt.month, 8);
	assert_int_equal(dt.day, 22);
	assert_int_equal(dt.hour, 22);
	mlint_date_from_epoch(&dt, -1, 0);
	assert_int_equal(dt.year, 1969);
	assert_int_equal(dt.month, 12);
	assert_int_equal(dt.day, 31);
	assert_int_equal(dt.second, 59);
	assert_int_equal(mlint_date_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(mlint_date_days_in_month(1900, 2), 28);
	assert_int_equal(mlint_date_days_in_month(2000, 2), 29);
}

/* Round trip over four centuries, against the arithmetic both ways. */
static void test_date_round_trip(void **state)
{
	(void)state;
	for (long long days = -146097; days < 146097 * 2; days += 13) {
		struct mlint_date dt;
		mlint_date_from_epoch(&dt, days * 86400 + 3661, 0);
		assert_int_equal(mlint_date_days_from_civil(dt.year, dt.month, dt.day), days);
		assert_true(dt.day <= mlint_date_days_in_month(dt.year, dt.month));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_forms),
		cmocka_unit_test(test_date_one_digit_fields),
		cmocka_unit_test(test_date_not_real),
		cmocka_unit_test(test_date_epoch),
		cmocka_unit_test(test_date_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
