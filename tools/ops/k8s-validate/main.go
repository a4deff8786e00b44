// Command k8s-validate checks rendered Kubernetes manifests offline and strictly: every object
// is decoded into the typed structs of k8s.io/api (and the prometheus-operator API for
// ServiceMonitors) with unknown and duplicate fields rejected, so a misspelled field fails here
// instead of being silently dropped by the API server's client-side defaults.
//
// Usage: kustomize build k8s/overlays/production | k8s-validate [-]
//
//	k8s-validate file.yaml...
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// kinds lists every apiVersion/kind the platform ships; anything else is an error, because an
// object we cannot check is an object we cannot trust.
var kinds = map[string]func() any{
	"v1/Namespace":                             func() any { return &corev1.Namespace{} },
	"v1/ConfigMap":                             func() any { return &corev1.ConfigMap{} },
	"v1/Secret":                                func() any { return &corev1.Secret{} },
	"v1/Service":                               func() any { return &corev1.Service{} },
	"v1/ServiceAccount":                        func() any { return &corev1.ServiceAccount{} },
	"apps/v1/Deployment":                       func() any { return &appsv1.Deployment{} },
	"batch/v1/Job":                             func() any { return &batchv1.Job{} },
	"autoscaling/v2/HorizontalPodAutoscaler":   func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"policy/v1/PodDisruptionBudget":            func() any { return &policyv1.PodDisruptionBudget{} },
	"networking.k8s.io/v1/NetworkPolicy":       func() any { return &networkingv1.NetworkPolicy{} },
	"networking.k8s.io/v1/Ingress":             func() any { return &networkingv1.Ingress{} },
	"rbac.authorization.k8s.io/v1/Role":        func() any { return &rbacv1.Role{} },
	"rbac.authorization.k8s.io/v1/RoleBinding": func() any { return &rbacv1.RoleBinding{} },
	"monitoring.coreos.com/v1/ServiceMonitor":  func() any { return &monitoringv1.ServiceMonitor{} },
	"monitoring.coreos.com/v1/PrometheusRule":  func() any { return &monitoringv1.PrometheusRule{} },
}

type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
}

// validate checks one YAML document and returns a description of the object it held.
func validate(doc []byte) (string, error) {
	var h header
	if err := yaml.Unmarshal(doc, &h); err != nil {
		return "", fmt.Errorf("not a YAML object: %w", err)
	}
	id := h.APIVersion + "/" + h.Kind
	name := fmt.Sprintf("%s %s/%s", id, h.Metadata.Namespace, h.Metadata.Name)
	if h.APIVersion == "" || h.Kind == "" {
		return name, errors.New("apiVersion and kind are required")
	}
	if h.Metadata.Name == "" {
		return name, errors.New("metadata.name is required")
	}
	factory, ok := kinds[id]
	if !ok {
		return name, fmt.Errorf("unsupported apiVersion/kind %q", id)
	}
	if err := yaml.UnmarshalStrict(doc, factory()); err != nil {
		return name, err
	}
	return name, nil
}

func validateStream(source string, r io.Reader) (int, []string) {
	reader := utilyaml.NewYAMLReader(bufio.NewReader(r))
	var failures []string
	count := 0
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", source, err))
			break
		}
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		count++
		name, err := validate(doc)
		if err != nil {
			failures = append(failures, fmt.Sprintf("%s: %s: %v", source, name, err))
		}
	}
	return count, failures
}

func stripComments(doc []byte) []byte {
	var out []string
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			out = append(out, line)
		}
	}
	return []byte(strings.Join(out, "\n"))
}

func main() {
	args := os.Args[1:]
	if len(args) == 0 {
		args = []string{"-"}
	}
	total := 0
	var failures []string
	for _, arg := range args {
		var r io.Reader = os.Stdin
		if arg != "-" {
			f, err := os.Open(arg)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			defer f.Close()
			r = f
		}
		n, fails := validateStream(arg, r)
		total += n
		failures = append(failures, fails...)
	}
	for _, f := range failures {
		fmt.Fprintln(os.Stderr, f)
	}
	if total == 0 {
		fmt.Fprintln(os.Stderr, "no objects found")
		os.Exit(1)
	}
	if len(failures) > 0 {
		fmt.Fprintf(os.Stderr, "%d of %d objects invalid\n", len(failures), total)
		os.Exit(1)
	}
	fmt.Printf("%d objects valid\n", total)
}
