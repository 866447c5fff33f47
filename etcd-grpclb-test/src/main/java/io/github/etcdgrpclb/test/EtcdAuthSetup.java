package io.github.etcdgrpclb.test;

/** Enables etcd authentication and adds users through the JSON gateway. */
final class EtcdAuthSetup {

	private EtcdAuthSetup() {
	}

	/** Adds {@code root} with the root role and turns authentication on. */
	static void enable(EtcdGateway gateway, String rootPassword) {
		gateway.post("/v3/auth/role/add", "{\"name\":\"root\"}", null);
		gateway.post("/v3/auth/user/add",
				"{\"name\":\"" + EtcdCluster.ROOT + "\",\"password\":\"" + rootPassword + "\"}", null);
		gateway.post("/v3/auth/user/grant", "{\"user\":\"" + EtcdCluster.ROOT + "\",\"role\":\"root\"}", null);
		gateway.post("/v3/auth/enable", "{}", null);
	}

	/** Adds a user and a role of the same name that may read and write the given prefixes. */
	static void addUser(EtcdGateway gateway, String token, String user, String password, String... prefixes) {
		gateway.post("/v3/auth/role/add", "{\"name\":\"" + user + "\"}", token);
		for (String prefix : prefixes) {
			gateway.post("/v3/auth/role/grant", "{\"name\":\"" + user + "\",\"perm\":{\"permType\":\"READWRITE\","
					+ "\"key\":\"" + EtcdGateway.base64(prefix) + "\",\"range_end\":\""
					+ EtcdGateway.base64(prefixEnd(prefix)) + "\"}}", token);
		}
		gateway.post("/v3/auth/user/add", "{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}", token);
		gateway.post("/v3/auth/user/grant", "{\"user\":\"" + user + "\",\"role\":\"" + user + "\"}", token);
	}

	/** The end of the key range that holds every key starting with {@code prefix} (etcd's prefix end). */
	static String prefixEnd(String prefix) {
		char[] chars = prefix.toCharArray();
		chars[chars.length - 1]++;
		return new String(chars);
	}

}
