package io.github.etcdgrpclb.registry;

/**
 * How a registration writes its value. Readers accept all three, so servers of one service may mix
 * them.
 */
public enum ValueFormat {

	/** The weighted tutorial's value: the weight as a decimal integer, {@code 3}. */
	WEIGHT,

	/**
	 * The tutorial's round-robin flavour: the address, {@code 10.0.0.5:9001}, which its Go client
	 * dials; the weight is 1 for readers.
	 */
	ADDRESS,

	/**
	 * The shape etcd's own Go naming packages write, {@code {"Op":0,"Addr":"10.0.0.5:9001","weight":3}},
	 * which their resolver dials. The weight is a top-level member: an object in {@code Metadata}
	 * makes grpc-go's resolver panic (it keys its balancer by the address struct).
	 */
	JSON

}
