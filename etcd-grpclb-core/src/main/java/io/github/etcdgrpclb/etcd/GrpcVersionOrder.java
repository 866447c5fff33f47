package io.github.etcdgrpclb.etcd;

import java.util.Comparator;

/** Orders versions such as 1.63.0 and 1.84.1 by their numbers, not as text. */
enum GrpcVersionOrder implements Comparator<String> {

	INSTANCE;

	@Override
	public int compare(String left, String right) {
		String[] a = left.split("[.-]");
		String[] b = right.split("[.-]");
		for (int i = 0; i < Math.min(a.length, b.length); i++) {
			int order = (isNumber(a[i]) && isNumber(b[i])) ? Long.compare(Long.parseLong(a[i]), Long.parseLong(b[i]))
					: a[i].compareTo(b[i]);
			if (order != 0) {
				return order;
			}
		}
		return Integer.compare(a.length, b.length);
	}

	private static boolean isNumber(String part) {
		return !part.isEmpty() && part.length() < 18 && part.chars().allMatch(Character::isDigit);
	}

}
