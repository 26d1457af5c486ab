/* cpu-fp: double-precision n-body (five bodies, the classic planetary system) and a
 * mandelbrot set; only +, -, *, / and sqrt, so every IEEE-754 machine gets the same bits. */
#include <math.h>
#include "bench.h"

#define STEPS 1000000
#define MANDEL_SIZE 400
#define MANDEL_ITER 200

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

struct body {
	double x, y, z, vx, vy, vz, mass;
};

static struct body bodies[5] = {
	{ 0, 0, 0, 0, 0, 0, SOLAR_MASS },
	{ 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
	  1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
	  -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS },
	{ 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
	  -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
	  2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS },
	{ 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
	  2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
	  -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS },
	{ 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
	  2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
	  -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS },
};

static void advance(double dt)
{
	for (int i = 0; i < 5; i++) {
		struct body *a = &bodies[i];
		for (int j = i + 1; j < 5; j++) {
			struct body *b = &bodies[j];
			double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
			double d2 = dx * dx + dy * dy + dz * dz;
			double mag = dt / (d2 * sqrt(d2));
			a->vx -= dx * b->mass * mag;
			a->vy -= dy * b->mass * mag;
			a->vz -= dz * b->mass * mag;
			b->vx += dx * a->mass * mag;
			b->vy += dy * a->mass * mag;
			b->vz += dz * a->mass * mag;
		}
	}
	for (int i = 0; i < 5; i++) {
		bodies[i].x += dt * bodies[i].vx;
		bodies[i].y += dt * bodies[i].vy;
		bodies[i].z += dt * bodies[i].vz;
	}
}

static double energy(void)
{
	double e = 0;
	for (int i = 0; i < 5; i++) {
		struct body *a = &bodies[i];
		e += 0.5 * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
		for (int j = i + 1; j < 5; j++) {
			struct body *b = &bodies[j];
			double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
			e -= a->mass * b->mass / sqrt(dx * dx + dy * dy + dz * dz);
		}
	}
	return e;
}

static void offset_momentum(void)
{
	double px = 0, py = 0, pz = 0;
	for (int i = 0; i < 5; i++) {
		px += bodies[i].vx * bodies[i].mass;
		py += bodies[i].vy * bodies[i].mass;
		pz += bodies[i].vz * bodies[i].mass;
	}
	bodies[0].vx = -px / SOLAR_MASS;
	bodies[0].vy = -py / SOLAR_MASS;
	bodies[0].vz = -pz / SOLAR_MASS;
}

static uint64_t mandelbrot(void)
{
	uint64_t h = FNV_INIT;
	for (int py = 0; py < MANDEL_SIZE; py++) {
		double ci = 2.0 * py / MANDEL_SIZE - 1.0;
		for (int px = 0; px < MANDEL_SIZE; px++) {
			double cr = 2.0 * px / MANDEL_SIZE - 1.5, zr = 0, zi = 0;
			int k = 0;
			while (k < MANDEL_ITER && zr * zr + zi * zi <= 4.0) {
				double t = zr * zr - zi * zi + cr;
				zi = 2.0 * zr * zi + ci;
				zr = t;
				k++;
			}
			h = (h ^ (uint64_t)k) * 0x100000001b3ULL;
		}
	}
	return h;
}

int main(int argc, char **argv)
{
	long scale = bench_scale(argc, argv);
	offset_momentum();
	double e0 = energy();
	for (long i = 0; i < STEPS * scale; i++)
		advance(0.01);
	double e1 = energy();
	uint64_t m = 0;
	for (long i = 0; i < scale; i++)
		m = mix64(m, mandelbrot());
	uint64_t bits;
	memcpy(&bits, &e1, sizeof bits);
	printf("cpu-fp energy %.9f -> %.9f (%016llx) mandelbrot %016llx\n", e0, e1,
	       (unsigned long long)bits, (unsigned long long)m);
	return 0;
}
