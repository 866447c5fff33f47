package io.github.etcdgrpclb.registry;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import io.github.etcdgrpclb.etcd.FlatJson;

/**
 * An operator's change to one instance's registration (from the console, or {@code etcdctl}), kept
 * in etcd at {@code <prefix>-ops/<service>/<host:port>}: a weight to publish instead of the instance's
 * own, or that the instance is drained (its key withdrawn while it keeps serving). The instance's own
 * registrar watches that key and publishes the result under its registration key, still as a plain
 * integer, so every reader follows, the Go tutorial's clients and etcd's Go resolver included.
 * <p>
 * Written without a lease, an override is <em>pinned</em>: it outlives restarts of the instance (its
 * registrar reads it before the first put). Written on the instance's lease, it ends with that
 * registration (a restart, or a lease lost in an etcd outage). Example value:
 * {@code {"weight":5,"drained":false,"by":"admin","at":"2026-12-04T10:15:30Z"}}.
 *
 * @param weight the weight to publish instead of the instance's own, or null to keep its own
 * @param drained whether the instance's key is withdrawn
 * @param by who made the change, or null
 * @param at when, or null
 */
public record OperatorOverride(Integer weight, boolean drained, String by, Instant at) {

	/** No override: the instance publishes what it says itself. */
	public static final OperatorOverride NONE = new OperatorOverride(null, false, null, null);

	public OperatorOverride {
		if (weight != null && weight < 1) {
			throw new IllegalArgumentException("An operator's weight must be at least 1, was " + weight);
		}
	}

	/**
	 * @param prefix the registry prefix, e.g. {@code /grpclb}
	 * @return the prefix of the operators' keys, e.g. {@code /grpclb-ops}
	 */
	public static String opsPrefix(String prefix) {
		return prefix + "-ops";
	}

	/** @return whether it changes nothing */
	public boolean isNone() {
		return this.weight == null && !this.drained;
	}

	/**
	 * @param own what the instance says itself
	 * @return what to publish (the key is withdrawn altogether when {@link #drained})
	 */
	public RegistryEntry applyTo(RegistryEntry own) {
		return (this.weight == null) ? own : own.withWeight(this.weight);
	}

	/** @return the value written to etcd */
	public String toJson() {
		StringBuilder json = new StringBuilder("{");
		if (this.weight != null) {
			json.append("\"weight\":").append(this.weight).append(',');
		}
		json.append("\"drained\":").append(this.drained);
		if (this.by != null) {
			FlatJson.quote(json.append(",\"by\":"), this.by);
		}
		if (this.at != null) {
			FlatJson.quote(json.append(",\"at\":"), this.at.toString());
		}
		return json.append('}').toString();
	}

	/**
	 * @param json a value of an operator's key
	 * @return the override it holds
	 * @throws IllegalArgumentException when it is not one, saying why
	 */
	public static OperatorOverride parse(String json) {
		Map<String, String> values = FlatJson.read(json);
		try {
			String weight = values.get("weight");
			String at = values.get("at");
			return new OperatorOverride((weight != null) ? Integer.valueOf(weight) : null,
					Boolean.parseBoolean(values.get("drained")), values.get("by"), (at != null) ? Instant.parse(at) : null);
		}
		catch (NumberFormatException | DateTimeParseException ex) {
			throw new IllegalArgumentException("Not an operator's override (" + ex.getMessage() + "): " + json, ex);
		}
	}

	/** @return what it does, for logs, e.g. {@code weight 5 (by admin at 2026-12-04T10:15:30Z)} */
	public String describe() {
		String what = this.drained ? "drained" : (this.weight != null) ? "weight " + this.weight : "no change";
		return what + " (by " + ((this.by != null) ? this.by : "unknown") + ((this.at != null) ? " at " + this.at : "")
				+ ")";
	}

}
