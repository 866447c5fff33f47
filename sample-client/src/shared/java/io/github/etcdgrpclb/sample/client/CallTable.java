package io.github.etcdgrpclb.sample.client;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Calls per server next to the server's weight: what the demo prints.
 *
 * @param rows one per server that answered or is registered
 * @param answered calls answered
 * @param failed calls failed
 */
record CallTable(List<Row> rows, long answered, long failed) {

	static CallTable of(Map<String, Long> callsByServer, Map<String, Integer> weights, long failed) {
		long answered = callsByServer.values().stream().mapToLong(Long::longValue).sum();
		int weightSum = weights.values().stream().mapToInt(Integer::intValue).sum();
		Map<String, Long> calls = new TreeMap<>(callsByServer);
		weights.keySet().forEach((server) -> calls.putIfAbsent(server, 0L));
		List<Row> rows = calls.entrySet().stream().map((entry) -> {
			Integer weight = weights.get(entry.getKey());
			return new Row(entry.getKey(), weight, (weight != null) ? (double) weight / weightSum : 0,
					(answered > 0) ? (double) entry.getValue() / answered : 0, entry.getValue());
		}).toList();
		return new CallTable(rows, answered, failed);
	}

	/**
	 * @return how far the furthest server's share is from its weight's, in binomial standard deviations
	 * of the calls answered (0 without calls)
	 */
	double maxDeviations() {
		double worst = 0;
		for (Row row : this.rows) {
			double expected = row.expectedShare();
			if (this.answered > 0 && expected > 0 && expected < 1) {
				double deviation = Math.sqrt(expected * (1 - expected) / this.answered);
				worst = Math.max(worst, Math.abs(row.observedShare() - expected) / deviation);
			}
			else if (this.answered > 0 && row.calls() > 0 && expected == 0) {
				worst = Double.POSITIVE_INFINITY; // a server etcd does not list answered
			}
		}
		return worst;
	}

	/**
	 * @param server the server's address, {@code host:port}
	 * @param weight its weight in etcd, null when it is not registered
	 * @param expectedShare its weight over the sum of weights
	 * @param observedShare its calls over all calls answered
	 * @param calls calls it answered
	 */
	record Row(String server, Integer weight, double expectedShare, double observedShare, long calls) {
	}

}
