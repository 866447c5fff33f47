package io.github.etcdgrpclb.spring.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.etcdgrpclb.registry.ValueFormat;
import io.github.etcdgrpclb.spring.etcd.InvalidEtcdPropertyException;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the registration of this application's gRPC server in etcd.
 */
@ConfigurationProperties("etcd.registry")
public class EtcdRegistryProperties {

	/**
	 * Whether to register the gRPC server in etcd.
	 */
	private boolean enabled = true;

	/**
	 * Key prefix of all registrations; a server's key is '<prefix>/<service-name>/<host:port>'. Clients
	 * resolve under the same prefix. '/grpclb' is the Go tutorial's.
	 */
	private String prefix = "/grpclb";

	/**
	 * Name of the service this server registers under. Defaults to spring.application.name.
	 */
	private String serviceName;

	/**
	 * Host or IP address advertised to clients. Defaults to the first non-loopback IPv4 address
	 * (site-local preferred), as chosen with preferred-networks and ignored-interfaces.
	 */
	private String address;

	/**
	 * Address prefixes or regular expressions of the networks to take the advertised address from,
	 * e.g. '10.0' or '192\.168\..*'.
	 */
	private List<String> preferredNetworks = new ArrayList<>();

	/**
	 * Regular expressions of network interface names never to take the advertised address from,
	 * e.g. 'docker0' or 'veth.*'.
	 */
	private List<String> ignoredInterfaces = new ArrayList<>();

	/**
	 * TTL of the lease the key lives on (whole seconds, at least 2s). A crashed server disappears
	 * from clients at the latest after this time.
	 */
	private Duration ttl = Duration.ofSeconds(10);

	/**
	 * Time between deregistering (key deleted) and stopping the gRPC server, so that clients stop
	 * sending new calls here before the server refuses them.
	 */
	private Duration drainDelay = Duration.ofSeconds(1);

	/**
	 * Largest weight grpc.weight may be set to.
	 */
	private int maxWeight = 100;

	/**
	 * How the value of this server's key is written: 'weight' (the weighted tutorial: "3"), 'address'
	 * (the tutorial's round-robin flavour, whose Go client dials the value: "10.0.0.5:9001") or 'json'
	 * (etcd's Go naming packages: {"Op":0,"Addr":"10.0.0.5:9001","weight":3}). Clients of this
	 * starter read all three.
	 */
	private ValueFormat valueFormat = ValueFormat.WEIGHT;

	/**
	 * What this server says of itself beside its weight, published on its lease under
	 * <prefix>-meta/<service>/<host:port> (the registration's own key keeps the plain weight):
	 * zone (calls stay in the caller's zone), version, tags (comma separated: calls tagged with one of
	 * them go here), or any other key. Changeable live through the actuator endpoint.
	 */
	private Map<String, String> metadata = new LinkedHashMap<>();

	private final Http http = new Http();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	public String getServiceName() {
		return this.serviceName;
	}

	public void setServiceName(String serviceName) {
		this.serviceName = serviceName;
	}

	public String getAddress() {
		return this.address;
	}

	public void setAddress(String address) {
		this.address = address;
	}

	public List<String> getPreferredNetworks() {
		return this.preferredNetworks;
	}

	public void setPreferredNetworks(List<String> preferredNetworks) {
		this.preferredNetworks = preferredNetworks;
	}

	public List<String> getIgnoredInterfaces() {
		return this.ignoredInterfaces;
	}

	public void setIgnoredInterfaces(List<String> ignoredInterfaces) {
		this.ignoredInterfaces = ignoredInterfaces;
	}

	public Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

	public Duration getDrainDelay() {
		return this.drainDelay;
	}

	public void setDrainDelay(Duration drainDelay) {
		this.drainDelay = drainDelay;
	}

	public ValueFormat getValueFormat() {
		return this.valueFormat;
	}

	public void setValueFormat(ValueFormat valueFormat) {
		this.valueFormat = valueFormat;
	}

	public int getMaxWeight() {
		return this.maxWeight;
	}

	/**
	 * @return {@code max-weight}, checked (the resolver clamps weights to it too)
	 * @throws InvalidEtcdPropertyException when it is below 1
	 */
	public int validMaxWeight() {
		return validMaxWeight(this.maxWeight);
	}

	static int validMaxWeight(int maxWeight) {
		if (maxWeight < 1) {
			throw new InvalidEtcdPropertyException("etcd.registry.max-weight", maxWeight, "must be at least 1",
					"Set etcd.registry.max-weight to 1 or more (default 100).");
		}
		return maxWeight;
	}

	public void setMaxWeight(int maxWeight) {
		this.maxWeight = maxWeight;
	}

	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	public void setMetadata(Map<String, String> metadata) {
		this.metadata = metadata;
	}

	public Http getHttp() {
		return this.http;
	}

	/**
	 * The application's HTTP port in etcd too ({@code etcd.registry.http.*}), for Spring Cloud
	 * LoadBalancer {@code lb://} clients and Gateway routes: under its own prefix, so gRPC clients and
	 * the Go tutorial's never dial it.
	 */
	public static class Http {

		/**
		 * Whether to register the HTTP port once the application is ready, as
		 * <http.prefix>/<service>/<host:port> = grpc.weight on a lease of its own, with the gRPC port in
		 * its metadata (gRPC_port, as net.devh's discovery:/// channels read it) when the application
		 * serves gRPC; deregistered when the application closes, before the web server stops.
		 */
		private boolean enabled;

		/**
		 * Key prefix of HTTP registrations. Spring Cloud's DiscoveryClient answers a service's HTTP
		 * instances when it has some, else its gRPC ones.
		 */
		private String prefix = "/http";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

	}

}
