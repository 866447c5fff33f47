// etcd's own Go naming resolver (go.etcd.io/etcd/clientv3/naming/resolver) dialling etcd:///<target>,
// as Go services that use etcd's naming packages do, with grpc-go's round_robin: it reads the JSON
// values ({"Op":0,"Addr":"host:port",...}) under <target>/ and dials each Addr. Calls test.Echo/Echo N
// times and prints how many calls each server answered.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/clientv3/naming/resolver"
	"google.golang.org/grpc"
)

type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error)      { return *(v.(*[]byte)), nil }
func (rawCodec) Unmarshal(data []byte, v interface{}) error { *(v.(*[]byte)) = append([]byte{}, data...); return nil }
func (rawCodec) Name() string                              { return "raw" }

func main() {
	endpoints, target := os.Args[1], os.Args[2]
	calls, _ := strconv.Atoi(os.Args[3])
	cli, err := clientv3.New(clientv3.Config{Endpoints: strings.Split(endpoints, ","), DialTimeout: 5 * time.Second})
	if err != nil {
		panic(err)
	}
	builder, _ := resolver.NewBuilder(cli)
	conn, err := grpc.Dial("etcd:///"+target, grpc.WithResolvers(builder), grpc.WithInsecure(),
		grpc.WithDefaultServiceConfig(`{"loadBalancingPolicy":"round_robin"}`))
	if err != nil {
		panic(err)
	}
	counts := map[string]int{}
	for i := 0; i < calls; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		req, resp := []byte("x"), []byte{}
		err := conn.Invoke(ctx, "/test.Echo/Echo", &req, &resp, grpc.ForceCodec(rawCodec{}), grpc.WaitForReady(true))
		cancel()
		if err != nil {
			counts["FAILED"]++
			continue
		}
		counts[strings.SplitN(string(resp), ":", 2)[0]]++
	}
	for server, count := range counts {
		fmt.Printf("%s=%d\n", server, count)
	}
}
