package io.github.etcdgrpclb.spring.registry;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The weight this application's gRPC server registers with.
 */
@ConfigurationProperties("grpc")
public class GrpcWeightProperties {

	/**
	 * Share of the calls this server gets relative to the other servers of its service: a server of
	 * weight 4 gets twice the calls of one of weight 2. From 1 to etcd.registry.max-weight.
	 */
	private int weight = 1;

	public int getWeight() {
		return this.weight;
	}

	public void setWeight(int weight) {
		this.weight = weight;
	}

}
