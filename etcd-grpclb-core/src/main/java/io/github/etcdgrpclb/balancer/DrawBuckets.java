package io.github.etcdgrpclb.balancer;

/**
 * Spreads a uniform 32-bit draw over n equal buckets by multiply-shift (no division; each bucket's
 * share is off by less than 2^-32), and says exactly what share of all draws each bucket gets, so
 * the tests can check the pickers' exact shares against the same mapping the picks use.
 */
final class DrawBuckets {

	private static final double DRAWS = 0x1p32;

	private DrawBuckets() {
	}

	/**
	 * @param draw a draw in 0..2^32-1
	 * @param buckets how many buckets
	 * @return the bucket the draw lands on
	 */
	static int bucket(long draw, int buckets) {
		return (int) ((draw * buckets) >>> 32);
	}

	/** @return the share of all 2^32 draws that land on the bucket: those d with floor(d * buckets / 2^32) == bucket */
	static double share(int bucket, int buckets) {
		return (Math.ceil((bucket + 1) * DRAWS / buckets) - Math.ceil(bucket * DRAWS / buckets)) / DRAWS;
	}

}
